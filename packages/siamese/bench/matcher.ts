/**
 * `pnpm bench matcher [--model <dir>] [--backends tensorflow,wasm] [--runs 10] [--photos group|single]
 *   [--passes '<JSON detector passes>'] [--out bench-results/matcher.json]`: latency of the matcher per backend,
 * split into decode, detect, align, embed and head; and what `identify` against 1,000 enrolled faces adds.
 * `group`: face-api's six sample photos scaled to 640 px wide (one to five faces each; the largest is used);
 * `single`: 250 px crops of one face each from the same photos (ID-photo and LFW framing). `--passes` replaces the
 * face finder's chain (to time another order on the same photos). Each backend runs in its own process (tfjs has
 * one backend per process), the same model and photos in each. Prints a table and writes the JSON file.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendName, initBackend } from '@mfr/core';
import { createMatcher, type EnrolledFace, type MatcherTimings } from '@mfr/siamese';
import { SAMPLE_FACE_COUNT, writeSampleFaceCrop } from '../../../test-support/sample-faces.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    backends: { type: 'string', default: 'tensorflow,wasm' },
    runs: { type: 'string', default: '10' },
    photos: { type: 'string', default: 'group' },
    passes: { type: 'string' },
    out: { type: 'string', default: 'bench-results/matcher.json' },
    child: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (values.photos !== 'group' && values.photos !== 'single')
  throw new Error(`--photos: group or single, got "${values.photos}"`);

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
      '--photos',
      values.photos,
    ];
    if (values.model) args.push('--model', values.model);
    if (values.passes) args.push('--passes', values.passes);
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
  console.log(
    `matcher latency, ms per call (median of runs over ${values.photos === 'group' ? '6 group photos of 640 px' : '22 single-face crops of 250 px'})`,
  );
  for (const r of results) {
    if ('error' in r) {
      console.log(`${r.backend.padEnd(11)} not run: ${r.error}`);
      continue;
    }
    console.log(`${r.backend.padEnd(11)} enroll          ${fmt(r.enroll)}`);
    console.log(`${''.padEnd(11)} verify enrolled ${fmt(r.verifyEnrolled)}`);
    console.log(`${''.padEnd(11)} identify vs 1,000 enrolled adds ${r.identify1000AddsMs.toFixed(1)} ms`);
  }
  const out = resolve(root, values.out!);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ model: values.model ?? 'shipped', photos: values.photos, passes: values.passes ?? 'default', runs, results }, null, 1)}\n`,
  );
}

/** One backend: enroll and verify each photo `runs` times; medians per stage. */
async function measure(backend: BackendName): Promise<BackendResult> {
  await initBackend({ backend });
  const photos = values.photos === 'single' ? await singleFaceCrops() : await samplePhotos640();
  const matcher = await createMatcher({
    model: values.model,
    ...(values.passes ? { faceFinder: { passes: JSON.parse(values.passes) } } : {}),
  });
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

/** One 250 px crop around each of the 22 sample faces, as JPEG bytes. */
async function singleFaceCrops(): Promise<Uint8Array[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mfr-bench-matcher-'));
  try {
    const out: Uint8Array[] = [];
    for (let i = 0; i < SAMPLE_FACE_COUNT; i++)
      out.push(new Uint8Array(readFileSync(await writeSampleFaceCrop(i, join(dir, `${i}.jpg`)))));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
