#!/usr/bin/env bash
# Masks a dataset and benchmarks it on a Slurm cluster, as four dependent jobs:
#   1. mask      job array, one task per shard      mfr mask <dataset> <work>/masked
#   2. merge     after every mask task succeeded    mfr merge <work>/masked
#   3. embed     job array, one task per shard      mfr bench ... --cache <work>/cache (masking done in 1)
#   4. report    after every embed task succeeded   mfr bench ... --out <work>/report
# <work> must be on a file system every node mounts. Usage:
#   examples/cluster/slurm/submit.sh <dataset-dir> <work-dir> [shards=8] [models=baseline:faceres]
# Set MFR_HOME (a built clone on the shared file system) or MFR (a command, e.g. an Apptainer image) for the jobs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${1:?usage: submit.sh <dataset-dir> <work-dir> [shards] [models]}
work=${2:?usage: submit.sh <dataset-dir> <work-dir> [shards] [models]}
shards=${3:-8}
models=${4:-baseline:faceres}
job="$here/mfr.sbatch"
export MFR_SHARDS=$shards
# Slurm runs a copy of mfr.sbatch from its spool folder: tell it where the clone is
MFR_HOME=${MFR_HOME:-$(cd "$here/../../.." && pwd)}
export MFR_HOME
submit() { sbatch --parsable --export=ALL "$@" | cut -d';' -f1; }
bench=(bench --models "$models" --datasets "$data" --masked-dir "$work/masked" --cache "$work/cache")

mask=$(submit --job-name=mfr-mask --array="0-$((shards - 1))" "$job" mask "$data" "$work/masked" --seed 1)
merge=$(submit --job-name=mfr-merge --dependency="afterok:$mask" "$job" merge "$work/masked")
embed=$(submit --job-name=mfr-embed --dependency="afterok:$merge" --array="0-$((shards - 1))" "$job" "${bench[@]}")
report=$(submit --job-name=mfr-report --dependency="afterok:$embed" "$job" "${bench[@]}" --out "$work/report")
echo "submitted: mask $mask (${shards} tasks), merge $merge, embed $embed (${shards} tasks), report $report"
echo "report when done: $work/report/index.html"
