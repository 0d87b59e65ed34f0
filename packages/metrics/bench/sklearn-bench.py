"""Reference timing for `pnpm bench metrics`: scikit-learn's roc_curve plus the usual EER interpolation
(brentq on interp1d) and FNR at FPR <= 1%, on the same kind of data (half genuine N(0.7, 0.1), half impostor
N(0.4, 0.1); numpy's generator, so not the same samples as the TypeScript benchmark).

Run by hand from the repository root (needs scikit-learn, scipy):
  .tmp/venv/bin/python packages/metrics/bench/sklearn-bench.py [sizes...]
"""
import sys
import time

import numpy as np
import sklearn
from scipy.interpolate import interp1d
from scipy.optimize import brentq
from sklearn.metrics import roc_curve

sizes = [int(float(s)) for s in sys.argv[1:]] or [10**6, 10**7]
print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")
for size in sizes:
    rng = np.random.default_rng(42)
    scores = np.concatenate([rng.normal(0.7, 0.1, size // 2), rng.normal(0.4, 0.1, size // 2)])
    labels = np.concatenate([np.ones(size // 2, dtype=np.int8), np.zeros(size // 2, dtype=np.int8)])
    times = []
    cpu_times = []
    for _ in range(3 if size <= 10**6 else 2):
        start = time.perf_counter()
        cpu_start = time.process_time()
        fpr, tpr, thresholds = roc_curve(labels, scores)
        eer = brentq(lambda x: 1.0 - x - interp1d(fpr, tpr)(x), 0.0, 1.0)
        fnr_at_1pct = 1.0 - tpr[fpr <= 0.01].max()
        times.append(time.perf_counter() - start)
        # CPU time is less distorted than wall time when other processes share the cores
        cpu_times.append(time.process_time() - cpu_start)
    print(f"roc_curve + EER on {size:.0e} scores: wall min {min(times):.3f} s, cpu min {min(cpu_times):.3f} s, "
          f"wall runs {[round(t, 3) for t in times]} | EER {eer:.5f} FNR@FPR<=1% {fnr_at_1pct:.5f}")
