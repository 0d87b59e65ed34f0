#!/usr/bin/env bash
# The benchmark runs behind docs/benchmark.md, in priority order (each resumes from .mfr-cache when rerun).
#   nohup packages/benchmark/bench/run-all.sh > .tmp/bench-all.log 2>&1 &
# MODELS overrides the model list; CHECKPOINT=<dir> adds the trained-model runs; a run whose --out already holds
# results.json is skipped unless FORCE=1; a failed run is retried (up to 5 times, a minute apart).
set -u -o pipefail
cd "$(dirname "$0")/../../.."
export MFR_BACKEND="${MFR_BACKEND:-tfjs-node}"
MODELS="${MODELS:-baseline:faceapi,baseline:faceres,baseline:mobileface}"
mfr() { node --import tsx packages/benchmark/src/cli.ts "$@"; }
run() {
  local out="${!#}"
  if [[ -f "$out/results.json" && "${FORCE:-0}" != 1 ]]; then echo "=== skip $out (done)"; return; fi
  for attempt in 1 2 3 4 5; do
    echo "=== $(date -u +%H:%M:%S) mfr bench $* (attempt $attempt)"
    if mfr bench --models "$MODELS" --json "$@" | tail -n 1; then return; fi
    sleep 60
  done
}
run --datasets lfw-view2 --folds 1,2,3 --out bench-results/lfw-view2-folds1-3
run --datasets att --out bench-results/att
run --datasets lfw-view2 --folds 1,2,3 --no-mask --limit-pairs 600 --out bench-results/lfw-view2-unmasked
run --datasets yaleb --out bench-results/yaleb
run --datasets lfw-view2 --out bench-results/lfw-view2
run --datasets lfw --out bench-results/lfw
# a trained Siamese checkpoint (CHECKPOINT=<dir>): its readouts and an ensemble with faceapi, next to the baselines;
# LFW pairs with its training identities (<dir>/split.json) are left out
if [[ -n "${CHECKPOINT:-}" ]]; then
  MODELS="$MODELS,$CHECKPOINT#output,$CHECKPOINT#embedding,ensemble:baseline:faceapi+$CHECKPOINT"
  run --datasets att --out bench-results/trained-att
  run --datasets yaleb --out bench-results/trained-yaleb
  run --datasets lfw-view2 --exclude-identities "$CHECKPOINT/split.json" --out bench-results/trained-lfw-view2
  run --datasets lfw --exclude-identities "$CHECKPOINT/split.json" --out bench-results/trained-lfw
fi
echo "=== $(date -u +%H:%M:%S) done"
