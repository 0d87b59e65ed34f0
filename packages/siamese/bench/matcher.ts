/**
 * `pnpm bench matcher [--model <dir>] [--backends tensorflow,wasm] [--runs 10]`: latency of the matcher on
 * face-api's sample photos scaled to 640 px wide (one to five faces each; the largest is used), per backend, split
 * into decode, detect, align, embed and head; and what `identify` against 1,000 enrolled faces adds. Each backend
 * runs in its own process (tfjs has one backend per process), the same model and photos in each.
 * Prints a table and writes bench-results/matcher.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendName, initBackend } from '@mfr/core';
import { createMatcher, type EnrolledFace, type MatcherTimings } from '@mfr/siamese';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    backends: { type: 'string', default: 'tensorflow,wasm' },
    runs: { type: 'string', default: '10' },
    child: { type: 'string' },
  },
});
const runs = Number(values.runs);

type Stages = MatcherTimings & { total: number };
interface BackendResult {
  backend: string;
  enroll: Stages;
  verifyEnrolled: Stages;
  identify1000AddsMs: number;
  photos: number;
}

if (values.child) {
  process.stdout.write(`${JSON.stringify(await measure(values.child as BackendName))}\n`);
} else {
  const results: (BackendResult | { backend: string; error: string })[] = [];
  for (const backend of values.backends.split(',')) {
    const args = [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      backend,
      '--runs',
      String(runs),
    ];
    if (values.model) args.push('--model', values.model);
    const child = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 900_000 });
    const last = child.stdout.trim().split('\n').at(-1) ?? '';
    results.push(
      child.status === 0
        ? (JSON.parse(last) as BackendResult)
        : { backend, error: (child.stderr.trim().split('\n').at(-1) ?? 'failed').slice(0, 300) },
    );
  }
  const fmt = (s: Stages) =>
    `${s.total.toFixed(1).padStart(7)} (decode ${s.decode.toFixed(1)}, detect ${s.detect.toFixed(1)}, align ${s.align.toFixed(1)}, embed ${s.embed.toFixed(1)}, head ${s.head.toFixed(1)})`;
  console.log('matcher latency, ms per call (median of runs over 6 photos of 640 px)');
  for (const r of results) {
    if ('error' in r) {
      console.log(`${r.backend.padEnd(11)} not run: ${r.error}`);
      continue;
    }
    console.log(`${r.backend.padEnd(11)} enroll          ${fmt(r.enroll)}`);
    console.log(`${''.padEnd(11)} verify enrolled ${fmt(r.verifyEnrolled)}`);
    console.log(`${''.padEnd(11)} identify vs 1,000 enrolled adds ${r.identify1000AddsMs.toFixed(1)} ms`);
  }
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(
    join(root, 'bench-results', 'matcher.json'),
    `${JSON.stringify({ model: values.model ?? 'shipped', runs, results }, null, 1)}\n`,
  );
}

/** One backend: enroll and verify each photo `runs` times; medians per stage. */
async function measure(backend: BackendName): Promise<BackendResult> {
  await initBackend({ backend });
  const photos = await samplePhotos640();
  const matcher = await createMatcher({ model: values.model });
  try {
    // warm-up: first calls compile kernels and allocate
    const warm = await matcher.enroll(photos[0]);
    await matcher.verify(warm, photos[1]);
    const enrolls: Stages[] = [];
    const verifies: Stages[] = [];
    const enrolled: EnrolledFace[] = [];
    for (let run = 0; run < runs; run++) {
      for (const [i, photo] of photos.entries()) {
        const t0 = performance.now();
        const ref = await matcher.enroll(photo);
        enrolls.push({ ...ref.timings, total: performance.now() - t0 });
        if (run === 0) enrolled.push(ref);
        const t1 = performance.now();
        const v = await matcher.verify(ref, photos[(i + 1) % photos.length]);
        verifies.push({ ...v.timings, total: performance.now() - t1 });
      }
    }
    // identify: the probe's own work is the same; the gallery size changes only the head's share
    const gallery = Array.from({ length: 1000 }, (_, i) => enrolled[i % enrolled.length]);
    const one: number[] = [];
    const thousand: number[] = [];
    for (let run = 0; run < runs; run++) {
      const probe = await matcher.enroll(photos[run % photos.length]);
      let t = performance.now();
      await matcher.identify(probe, gallery.slice(0, 1), 1);
      one.push(performance.now() - t);
      t = performance.now();
      await matcher.identify(probe, gallery, 5);
      thousand.push(performance.now() - t);
    }
    return {
      backend,
      enroll: medianStages(enrolls),
      verifyEnrolled: medianStages(verifies),
      identify1000AddsMs: median(thousand) - median(one),
      photos: photos.length,
    };
  } finally {
    matcher.dispose();
  }
}

/** face-api's six sample photos, scaled to 640 px wide and encoded as JPEG bytes (what an app receives). */
async function samplePhotos640(): Promise<Uint8Array[]> {
  const require = createRequire(join(root, 'packages', 'core', 'package.json'));
  const sharp = require('sharp');
  const demo = join(
    dirname(
      createRequire(join(root, 'packages', 'masking', 'package.json')).resolve(
        '@vladmandic/face-api/package.json',
      ),
    ),
    'demo',
  );
  const out: Uint8Array[] = [];
  for (let i = 1; i <= 6; i++) {
    out.push(
      new Uint8Array(
        await sharp(join(demo, `sample${i}.jpg`))
          .resize(640)
          .jpeg({ quality: 90 })
          .toBuffer(),
      ),
    );
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medianStages(list: Stages[]): Stages {
  const keys = ['decode', 'detect', 'align', 'embed', 'head', 'total'] as const;
  return Object.fromEntries(keys.map((k) => [k, median(list.map((s) => s[k]))])) as unknown as Stages;
}
