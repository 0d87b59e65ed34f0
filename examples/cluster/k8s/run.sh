#!/usr/bin/env bash
# Runs the four steps in order on the current kubectl context: mask (8 shards), merge, embed (8 shards), report.
# Kubernetes Jobs have no dependencies of their own, so each step waits for the previous one to complete.
# Usage: examples/cluster/k8s/run.sh [timeout, default 24h]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
timeout=${1:-24h}
kubectl apply -f "$here/pvc.yaml"
for step in mask merge bench-embed bench-report; do
  kubectl apply -f "$here/$step-job.yaml"
  kubectl wait --for=condition=complete --timeout="$timeout" "job/mfr-$step"
done
echo "report: /data/report/index.html on the mfr-data volume"
