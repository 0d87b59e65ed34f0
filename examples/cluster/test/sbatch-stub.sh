#!/usr/bin/env bash
# A stand-in for Slurm's sbatch, for tests: runs the job at once on this machine (array tasks in parallel, with
# the variables Slurm sets), enforces --dependency=afterok, logs each submission and prints the job id.
# Needs SBATCH_STUB_DIR (an existing folder for the log, the statuses and the jobs' output).
set -u
dir=${SBATCH_STUB_DIR:?}
array='' dep='' name=''
while [ $# -gt 0 ]; do
  case "$1" in
    --parsable | --export=*) shift ;;
    --array=*) array=${1#--array=}; shift ;;
    --dependency=*) dep=${1#--dependency=}; shift ;;
    --job-name=*) name=${1#--job-name=}; shift ;;
    -*) echo "sbatch stub: option $1 not supported" >&2; exit 2 ;;
    *) break ;;
  esac
done
script=$1
shift
touch "$dir/submissions.tsv" "$dir/status"
id=$((100 + $(wc -l <"$dir/submissions.tsv")))
printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$name" "$array" "$dep" "$*" >>"$dir/submissions.tsv"
for d in $(echo "${dep#afterok:}" | tr ':' ' '); do
  grep -qx "$d ok" "$dir/status" || { echo "sbatch stub: job $d did not succeed" >&2; exit 1; }
done
status=ok
if [ -n "$array" ]; then
  lo=${array%-*} hi=${array#*-}
  pids=()
  for i in $(seq "$lo" "$hi"); do
    SLURM_JOB_ID=$id SLURM_ARRAY_JOB_ID=$id SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=$((hi - lo + 1)) \
      SLURM_ARRAY_TASK_MIN=$lo SLURM_ARRAY_TASK_MAX=$hi bash "$script" "$@" >"$dir/$id-$i.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || status=failed; done
else
  SLURM_JOB_ID=$id bash "$script" "$@" >"$dir/$id.log" 2>&1 || status=failed
fi
echo "$id $status" >>"$dir/status"
echo "$id"
