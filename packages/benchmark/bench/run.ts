/**
 * `pnpm bench benchmark [--images N]`: what one benchmark image costs on this machine: face analysis (face-api
 * SSD + 68 landmarks + 128-d descriptor) and each baseline embedding, per image, on the first N LFW images
 * (default 20), plus scoring 6,000 pairs with verificationReport. Writes bench-results/benchmark.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentBackend, initBackend } from '@mfr/core';
import { readImage } from '@mfr/core/node';
import { verificationReport } from '@mfr/metrics';
import {
  createBaseline,
  createFaceAnalyzer,
  findRepoRoot,
  listIdentities,
  resolveDataset,
} from '../src/index.js';

const n = Number(process.argv[process.argv.indexOf('--images') + 1]) || 20;
await initBackend({ verbose: true });
const root = resolveDataset('lfw').root;
const files = (await listIdentities(root)).flatMap((i) => i.images).slice(0, n);
const analyzer = await createFaceAnalyzer();
const models = [
  await createBaseline('faceapi'),
  await createBaseline('faceres'),
  await createBaseline('mobileface'),
];
const ms: Record<string, number> = { decode: 0, analysis: 0, faceres: 0, mobileface: 0 };
// one warm-up image: kernels compile on first use
for (const [k, file] of [files[0], ...files].entries()) {
  let t = performance.now();
  const image = await readImage(join(root, file));
  const decode = performance.now() - t;
  t = performance.now();
  const analysis = await analyzer.analyze(image, 0.55);
  const analysisMs = performance.now() - t;
  const times: Record<string, number> = {};
  for (const m of models.slice(1)) {
    t = performance.now();
    await m.embed({ path: file, image, analysis: async () => analysis });
    times[m.label] = performance.now() - t;
  }
  image.dispose();
  if (k === 0) continue;
  ms.decode += decode;
  ms.analysis += analysisMs;
  ms.faceres += times.faceres;
  ms.mobileface += times.mobileface;
}
const perImage = Object.fromEntries(Object.entries(ms).map(([key, v]) => [key, Number((v / n).toFixed(1))]));
const scores = Array.from({ length: 6000 }, (_, i) => (i % 2) + Math.sin(i));
const labels = Array.from({ length: 6000 }, (_, i) => i % 2);
const t = performance.now();
verificationReport({ scores, labels });
const reportMs = performance.now() - t;
const result = {
  backend: currentBackend(),
  images: n,
  msPerImage: perImage,
  imagesPerSecondAllBaselines: Number(
    (1000 / (perImage.decode + perImage.analysis + perImage.faceres + perImage.mobileface)).toFixed(2),
  ),
  verificationReport6000PairsMs: Number(reportMs.toFixed(1)),
};
for (const m of models) m.dispose();
console.log(JSON.stringify(result, null, 1));
const out = join(findRepoRoot(), 'bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'benchmark.json'), `${JSON.stringify(result, null, 1)}\n`);
