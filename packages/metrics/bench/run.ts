// `pnpm bench metrics [--sizes 1e6,1e7] [--repeats 5]`: times verificationReport on seeded Gaussian scores
// (half genuine N(0.7, 0.1), half impostor N(0.4, 0.1)) and writes bench-results/metrics.json.
// Compare with sklearn-bench.py (scikit-learn roc_curve + EER interpolation) on the same machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom, verificationReport } from '../src/index.js';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const sizes = argument('sizes', '1e6,1e7').split(',').map(Number);
const repeats = Number(argument('repeats', '5'));

function gaussian(count: number, mean: number, std: number, random: () => number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = mean + std * r * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = mean + std * r * Math.sin(angle);
  }
  return out;
}

const results = [];
for (const size of sizes) {
  const random = seededRandom(42);
  const genuine = gaussian(size / 2, 0.7, 0.1, random);
  const impostor = gaussian(size / 2, 0.4, 0.1, random);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let report = verificationReport({ genuine, impostor });
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    report = verificationReport({ genuine, impostor });
    const cpu = process.cpuUsage(cpuStart);
    times.push((performance.now() - start) / 1000);
    // CPU time (user + system) is less distorted than wall time when other processes share the cores
    cpuTimes.push((cpu.user + cpu.system) / 1e6);
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  const result = {
    scores: size,
    seconds: { min: times[0], median: times[Math.floor(times.length / 2)], all: times },
    cpuSeconds: { min: cpuTimes[0], median: cpuTimes[Math.floor(cpuTimes.length / 2)] },
    eer: report.eer,
    eerSweep: report.eerSweep,
    eerThreshold: report.eerThreshold,
    frr100: report.frr100.frr,
    frr1000: report.frr1000.frr,
    auc: report.auc,
    dPrime: report.dPrime,
  };
  results.push(result);
  console.log(
    `verificationReport on ${size.toExponential(0)} scores: wall min ${times[0].toFixed(3)} s, median ${result.seconds.median.toFixed(3)} s, ` +
      `cpu min ${cpuTimes[0].toFixed(3)} s ` +
      `(${repeats} runs) | EER ${report.eer.toFixed(5)} (sweep ${report.eerSweep.toFixed(5)}) FRR100 ${report.frr100.frr.toFixed(5)} AUC ${report.auc.toFixed(5)}`,
  );
}

const out = {
  benchmark: 'metrics',
  what: "verificationReport (validate, sort, sweep, EER rocch+sweep, FRR at 3 FAR targets, AUC, d', 1000-point curves)",
  data: 'seeded (mulberry32 seed 42) Box-Muller: half genuine N(0.7, 0.1), half impostor N(0.4, 0.1)',
  node: process.version,
  cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  note: 'timings are noisy when other processes share the cores; compare with sklearn-bench.py run at the same time',
  // scikit-learn roc_curve + EER interpolation as measured in the issue (another machine)
  reference: {
    sklearnSecondsFromIssue: { '1e6': 0.19, '1e7': 2.8 },
    eer1e6: 0.06668,
    fnrAtFpr1pct1e6: 0.25239,
  },
  date: new Date().toISOString(),
  results,
};
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', 'metrics.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote bench-results/metrics.json');
