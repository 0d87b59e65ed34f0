import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import { createLandmarker, createVerifier, type Landmarker, maskImage, type Verifier } from '@mfr/masking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../../../test-support/datasets.js';

let landmarker: Landmarker;
let verifier: Verifier;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  landmarker = await createLandmarker({ kind: 'face68' });
  verifier = await createVerifier();
});
afterAll(() => {
  landmarker?.dispose();
  verifier?.dispose();
});

/** The first image of each of the first `count` identity folders (sorted). */
function firstImages(root: string, count: number): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .slice(0, count)
    .map((name) => join(root, name, readdirSync(join(root, name)).sort()[0]));
}

async function maskedShare(paths: string[]): Promise<number> {
  let masked = 0;
  for (const [i, path] of paths.entries()) {
    const result = await maskImage(await readImagePixels(path), {}, { landmarker, verifier, seed: i });
    if (result.status === 'masked') masked++;
  }
  return masked / paths.length;
}

// Masking rates on the real datasets (the package README has the full-set numbers): runs under `pnpm test:data`.
describe('masking the real datasets', () => {
  it('masks and re-detects >= 90% of 30 LFW faces', async () => {
    expect(await maskedShare(firstImages(datasetPath('lfw/images'), 30))).toBeGreaterThanOrEqual(0.9);
  });

  it('masks and re-detects >= 90% of 20 AT&T faces (greyscale)', async () => {
    expect(await maskedShare(firstImages(datasetPath('att'), 20))).toBeGreaterThanOrEqual(0.9);
  });
});
