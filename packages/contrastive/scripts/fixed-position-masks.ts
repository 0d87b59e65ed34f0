/**
 * A stand-in for the @mfr/masking batch job on aligned datasets: draws a surgical-mask polygon at a FIXED
 * position (no landmarks) over every image and writes the same `manifest.jsonl` the masking job writes.
 * Only valid for datasets aligned like LFW deep-funneled 250x250 (face centred, eyes at ~46% height).
 * Used to get masked views and a masked-to-unmasked validation before landmark-based masks exist.
 *
 *   node --import tsx packages/contrastive/scripts/fixed-position-masks.ts <input-dir> <output-dir> [minImagesPerIdentity]
 */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRng } from '@mfr/core';
import { readImagePixels, scanDataset, writeImage } from '@mfr/core/node';

const [input, output, minImages = '1'] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: fixed-position-masks.ts <input-dir> <output-dir> [minImagesPerIdentity]');
  process.exit(2);
}
// polygon in units of the image side (LFW deep-funneled geometry): from the nose bridge to under the chin
const POLYGON = [
  [0.3, 0.53],
  [0.42, 0.5],
  [0.5, 0.51],
  [0.58, 0.5],
  [0.7, 0.53],
  [0.69, 0.68],
  [0.6, 0.77],
  [0.5, 0.8],
  [0.4, 0.77],
  [0.31, 0.68],
];
const COLOURS = [
  [156, 195, 224],
  [232, 238, 242],
  [43, 47, 54],
  [127, 167, 201],
  [201, 214, 223],
];

// even-odd rule point-in-polygon
function inside(x: number, y: number, poly: number[][]): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}
const dataset = await scanDataset(input, { minImagesPerIdentity: Number(minImages) });
const manifest = join(output, 'manifest.jsonl');
mkdirSync(output, { recursive: true });
rmSync(manifest, { force: true });
const rng = createRng('fixed-position-masks');
let count = 0;
for (const identity of dataset.identities) {
  for (const path of identity.images) {
    const source = relative(dataset.root, path);
    const target = join(output, source.replace(/\.[^.]+$/, '.png'));
    const pixels = await readImagePixels(path);
    const { width: w, height: h, data } = pixels;
    const poly = POLYGON.map(([x, y]) => [x * w, y * h]);
    const colour = rng.pick(COLOURS);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (!inside(x + 0.5, y + 0.5, poly)) continue;
        // keep a little of the face's shading so the mask is not perfectly flat
        const p = (y * w + x) * 3;
        const shade = 0.85 + 0.15 * ((data[p] + data[p + 1] + data[p + 2]) / 765);
        for (let c = 0; c < 3; c++) data[p + c] = Math.min(255, Math.round(colour[c] * shade));
      }
    }
    mkdirSync(dirname(target), { recursive: true });
    await writeImage(target, pixels);
    appendFileSync(
      manifest,
      `${JSON.stringify({ source, output: relative(output, target), status: 'masked', method: 'fixed-position' })}\n`,
    );
    count++;
  }
}
console.error(`masked ${count} images of ${dataset.identities.length} identities into ${output}`);
