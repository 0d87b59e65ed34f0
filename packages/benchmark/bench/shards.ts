/**
 * `pnpm bench shards [--job mask|embed] [--limit 600] [--procs 1,2,4] [--dataset <dir>]`
 *
 * Local-shard throughput: the same job run as 1, 2 and 4 shard processes at once on this machine (each with one
 * worker thread), with `mfr` from the build (`pnpm build` first), timed from the first start to the last exit,
 * then merged (`mfr merge`, timed apart). Also the unsharded run with 2 worker threads, today's default.
 * - `mask`: `mfr mask` on the first `limit` images (sorted paths) of LFW (../shared/datasets/lfw/images).
 * - `embed`: the embedding stage of `mfr bench --shard` (baseline:faceres, unmasked probes, so no masking) on the
 *   images of the first `limit` pairs of LFW View 2, fold 1.
 * - `merge`: `mergeMaskShards` (in this process) on `--entries` manifest lines (default 200,000: real lines of a
 *   300-image LFW run, repeated under new paths) spread over `--shards` (64) finished shards: seconds and peak
 *   memory (max RSS) of a merging process whose heap is capped at `--heap-mb` (256), to size the merge of millions
 *   of images.
 * Checks that every merged result equals the 1-process one. Prints a table and writes
 * bench-results/shards-<job>.json. Throughput on a shared machine depends on what else runs: the JSON records the
 * load average at the start and end of each run.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { formatShard, shardOf, shardSlug } from '@mfr/core';
import { readMaskManifest } from '@mfr/masking/node';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const root = resolve(process.cwd());
const cli = join(root, 'packages', 'benchmark', 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error(`shards bench: ${cli} is missing; run pnpm build first`);
const job = arg('job', 'mask') as 'mask' | 'embed' | 'merge';
const limit = Number(arg('limit', job === 'mask' ? '600' : '150'));
const procs = arg('procs', '1,2,4').split(',').map(Number);
const dataset = resolve(root, arg('dataset', '../shared/datasets/lfw/images'));
const work = join(root, '.tmp', `bench-shards-${job}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const env = { ...process.env, MFR_BACKEND: 'wasm', MFR_DEBUG: '' };

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
/** A child's exit status and its whole stdout and stderr. */
const collect = (child: ChildProcessWithoutNullStreams): Promise<Run> =>
  new Promise((done) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
const run = (cmd: string[]): Promise<Run> =>
  // GNU time reports each process's peak memory (its last stderr line), where it is installed
  collect(
    existsSync('/usr/bin/time')
      ? spawn('/usr/bin/time', ['-f', 'MAXRSS_KB %M', process.execPath, cli, ...cmd], { cwd: root, env })
      : spawn(process.execPath, [cli, ...cmd], { cwd: root, env }),
  );
/**
 * CPU seconds (user + system) of this process's finished children, from /proc/self/stat (cutime + cstime, in
 * clock ticks of 1/100 s on Linux), or null elsewhere. Unlike wall time, it does not depend on what else shares
 * the cores.
 */
function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields from 3 (state) on: cutime and cstime are fields 16 and 17 of the full line
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}
/** Peak resident memory of a finished run in MB (GNU time), or null. */
const maxRssMB = (r: Run): number | null => {
  const match = /MAXRSS_KB (\d+)\s*$/.exec(r.stderr);
  return match ? Math.round(Number(match[1]) / 1024) : null;
};
const last = (r: Run) => JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
if (job === 'merge') {
  await benchMerge();
  process.exit(0);
}

/** The command of shard `i` of `n` (n = 0: unsharded), writing into `out`. */
function command(out: string, i: number, n: number, workers: number): string[] {
  const shard = n > 0 ? ['--shard', `${i}/${n}`] : [];
  if (job === 'mask')
    return ['mask', dataset, out, '--limit', String(limit), '--workers', String(workers), '--json', ...shard];
  return [
    'bench',
    '--models',
    'baseline:faceres',
    '--datasets',
    'lfw-view2',
    '--folds',
    '1',
    '--limit-pairs',
    String(limit),
    '--no-mask',
    '--cache',
    out,
    '--json',
    // the unsharded run scores too: its report goes beside the cache
    ...(n > 0 ? shard : ['--out', join(out, 'report')]),
  ];
}

/** What a finished configuration left: manifest entries (mask) or cache entries (embed), to compare. */
async function resultOf(out: string): Promise<string> {
  if (job === 'mask') {
    const { entries } = await readMaskManifest(out);
    return JSON.stringify(
      [...entries.values()]
        .map(({ ms: _ms, ...rest }) => rest)
        .sort((a, b) => (a.source < b.source ? -1 : 1)),
    );
  }
  const lines: string[] = [];
  for (const sub of ['embeddings', 'faces'])
    for (const name of readdirSync(join(out, sub)).filter((n) => n.endsWith('.jsonl')))
      lines.push(
        ...readFileSync(join(out, sub, name), 'utf8')
          .trim()
          .split('\n')
          .map((l) => `${sub}/${name} ${l}`),
      );
  return JSON.stringify(lines.sort());
}

const configs = [
  ...procs.map((p) => ({ name: `${p} process${p > 1 ? 'es' : ''} x 1 worker`, processes: p, workers: 1 })),
  ...(job === 'mask' ? [{ name: 'unsharded, 1 process x 2 workers', processes: 0, workers: 2 }] : []),
];
const rows = [];
let reference: string | null = null;
console.log(
  `shards bench (${job}): ${dataset}, limit ${limit}, ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}`,
);
for (const config of configs) {
  const out = join(work, `${config.processes}x${config.workers}`);
  const loadBefore = loadavg()[0];
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const shards = config.processes > 1 ? config.processes : 0;
  const runs = await Promise.all(
    Array.from({ length: Math.max(1, shards) }, (_, i) => run(command(out, i, shards, config.workers))),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = childCpuSeconds();
  const cpuSeconds = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  for (const r of runs) if (r.status !== 0) throw new Error(`a run failed:\n${r.stderr.slice(-2000)}`);
  const mergeStart = performance.now();
  const merged = shards > 0 ? await run(['merge', out, '--json']) : null;
  if (merged && merged.status !== 0) throw new Error(`merge failed:\n${merged.stderr}`);
  const mergeSeconds = shards > 0 ? (performance.now() - mergeStart) / 1000 : 0;
  const summaries = runs.map(last);
  const images =
    job === 'mask'
      ? summaries.reduce((n, s) => n + s.total, 0)
      : readdirSync(join(out, 'embeddings'))
          .filter((n) => n.endsWith('.jsonl'))
          .reduce(
            (n, f) =>
              n +
              readFileSync(join(out, 'embeddings', f), 'utf8')
                .trim()
                .split('\n').length,
            0,
          );
  const result = await resultOf(out);
  reference ??= result;
  const row = {
    config: config.name,
    processes: Math.max(1, config.processes),
    workersPerProcess: config.workers,
    images,
    seconds: Math.round(seconds * 10) / 10,
    imagesPerSecond: Math.round((images / seconds) * 10) / 10,
    // per-process rate after the models loaded, as each run reports it (mask only)
    steadyImagesPerSecond:
      job === 'mask' ? Math.round(summaries.reduce((n, s) => n + s.imagesPerSecond, 0) * 10) / 10 : null,
    // CPU seconds of all processes of the run (start-up and model loading included), and images per CPU second:
    // what one idle core would do per second, the figure to multiply by the cores of a cluster
    cpuSeconds: cpuSeconds === null ? null : Math.round(cpuSeconds * 10) / 10,
    imagesPerCpuSecond: cpuSeconds ? Math.round((images / cpuSeconds) * 10) / 10 : null,
    mergeSeconds: Math.round(mergeSeconds * 100) / 100,
    // the largest peak memory of one process of the run
    maxRssMBPerProcess: Math.max(...runs.map((r) => maxRssMB(r) ?? Number.NaN)),
    sameAsOneProcess: result === reference,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
  };
  rows.push(row);
  console.log(
    `${row.config.padEnd(34)} ${String(row.images).padStart(5)} images ${row.seconds.toFixed(1).padStart(7)} s ` +
      `${row.imagesPerSecond.toFixed(1).padStart(6)} images/s (steady ${row.steadyImagesPerSecond ?? '-'}), ${row.cpuSeconds} CPU s = ${row.imagesPerCpuSecond} images/CPU-s, merge ${row.mergeSeconds} s, ${row.maxRssMBPerProcess} MB/process, same: ${row.sameAsOneProcess}, load ${loadBefore.toFixed(1)}->${row.loadAverage.after.toFixed(1)}`,
  );
}
const report = {
  job,
  dataset,
  limit,
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  backend: 'wasm',
  rows,
  note: 'wall clock from the first start to the last exit (process start and model loading included); a shared machine',
  date: new Date().toISOString(),
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', `shards-${job}.json`), `${JSON.stringify(report, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });

/** `--job merge`: time and peak memory of merging many shard manifest lines. */
async function benchMerge(): Promise<void> {
  const entries = Number(arg('entries', '200000'));
  const count = Number(arg('shards', '64'));
  const heapMB = Number(arg('heap-mb', '256'));
  const work = join(root, '.tmp', 'bench-shards-merge');
  rmSync(work, { recursive: true, force: true });
  const seedRun = join(work, 'seed');
  // real manifest lines: 300 LFW images masked once
  const r = await run([
    'mask',
    resolve(root, '../shared/datasets/lfw/images'),
    seedRun,
    '--limit',
    '300',
    '--json',
  ]);
  if (r.status !== 0) throw new Error(r.stderr);
  const lines = readFileSync(join(seedRun, 'manifest.jsonl'), 'utf8').trim().split('\n');
  const out = join(work, 'out');
  const buffers = Array.from({ length: count }, () => [] as string[]);
  let bytes = 0;
  for (let i = 0; i < entries; i++) {
    const record = JSON.parse(lines[i % lines.length]);
    record.source = `copy-${Math.floor(i / lines.length)}/${record.source}`;
    const line = `${JSON.stringify(record)}\n`;
    bytes += line.length;
    buffers[shardOf(record.source, count)].push(line);
  }
  for (let index = 0; index < count; index++) {
    const folder = join(out, '.shards', shardSlug({ index, count }));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'manifest.bench-1-000000.jsonl'), buffers[index].join(''));
    const done = {
      shard: formatShard({ index, count }),
      images: buffers[index].length,
      host: 'bench',
      pid: 1,
      finishedAt: '',
    };
    writeFileSync(join(folder, 'done.json'), JSON.stringify(done));
    buffers[index] = [];
  }
  // the merge runs in a fresh process (the built @mfr/masking), which reports its own time and peak memory
  const masking = join(root, 'packages', 'masking', 'dist', 'node.js');
  const script = `const { mergeMaskShards } = await import(${JSON.stringify(masking)});
const t = performance.now();
const r = await mergeMaskShards(${JSON.stringify(out)});
console.log(JSON.stringify({ images: r.images, seconds: (performance.now() - t) / 1000, maxRssKB: process.resourceUsage().maxRSS }));`;
  // a capped heap shows what the merge keeps alive (V8 otherwise grows the heap before it collects)
  const flags = [`--max-old-space-size=${heapMB}`, '--input-type=module', '-e', script];
  const child = await collect(spawn(process.execPath, flags, { cwd: root, env }));
  if (child.status !== 0) throw new Error(`merge failed: ${child.stderr}`);
  const measured = last(child) as { images: number; seconds: number; maxRssKB: number };
  const seconds = measured.seconds;
  const report = {
    job,
    entries,
    shards: count,
    manifestMB: Math.round(bytes / 1e6),
    bytesPerLine: Math.round(bytes / entries),
    seconds: Math.round(seconds * 10) / 10,
    linesPerSecond: Math.round(entries / seconds),
    heapLimitMB: heapMB,
    // peak resident memory of the merging process (Node itself is ~50 MB)
    peakRssMB: Math.round((measured.maxRssKB * 1024) / 1e6),
    merged: measured.images,
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(report, null, 2));
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'shards-merge.json'), `${JSON.stringify(report, null, 2)}\n`);
  rmSync(work, { recursive: true, force: true });
}
