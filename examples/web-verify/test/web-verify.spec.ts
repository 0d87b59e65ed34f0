/**
 * The verification page in Debian's Chromium, on webgl (SwiftShader) and wasm: a face-api sample face against a
 * masked copy of another picture of her (match) and against another person (no match), with scores equal to
 * Node's for the same PNG files to 1e-3; then the same person with the mask drawn in the page. Writes the page's
 * timings to test-results/page-timings.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import { readImagePixels, writeImage } from '@mfr/core/node';
import { createLandmarker, maskImage } from '@mfr/masking';
import { createMatcher } from '@mfr/siamese';
import { expect, test } from '@playwright/test';
import { writeSampleFaceCrop } from '../../../test-support/sample-faces.js';
import type { PageResult } from '../src/main.js';

// sample faces 0 and 5: two people; face 0's masked probe is accepted at FAR 1% in Node (see the model card)
const SAME = 0;
const OTHER = 5;
const files: Record<string, Buffer> = {};
const node: { backend: string; same: number; other: number } = { backend: '', same: 0, other: 0 };
const timings: Record<string, unknown>[] = [];

// a PNG of a sample face crop (decoded once in Node: pages and Node then read the same pixels)
async function samplePng(dir: string, index: number, variant: number): Promise<string> {
  const jpg = await writeSampleFaceCrop(index, join(dir, `face-${index}-${variant}.jpg`), { variant });
  const png = jpg.replace(/\.jpg$/, '.png');
  await writeImage(png, await readImagePixels(jpg));
  return png;
}

test.beforeAll(async () => {
  const dir = join(tmpdir(), `mfr-web-verify-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const reference = await samplePng(dir, SAME, 0);
  const shot = await samplePng(dir, SAME, 2);
  const landmarker = await createLandmarker({ kind: 'face68' });
  const masked: string[] = [];
  for (const index of [SAME, OTHER]) {
    const pixels = await readImagePixels(index === SAME ? shot : await samplePng(dir, index, 2));
    const result = await maskImage(pixels, {}, { landmarker, verifier: null, seed: index });
    if (!result.image) throw new Error(`sample face ${index} could not be masked (${result.status})`);
    const path = join(dir, `masked-${index}.png`);
    await writeImage(path, { ...result.image, channels: 3 });
    masked.push(path);
  }
  landmarker.dispose();
  Object.assign(files, {
    'reference.png': readFileSync(reference),
    'shot.png': readFileSync(shot),
    'masked-same.png': readFileSync(masked[0]),
    'masked-other.png': readFileSync(masked[1]),
  });
  node.backend = await initBackend();
  const matcher = await createMatcher();
  node.same = (await matcher.verify(reference, masked[0])).score ?? Number.NaN;
  node.other = (await matcher.verify(reference, masked[1])).score ?? Number.NaN;
  matcher.dispose();
});

test.afterAll(() => {
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/page-timings.json', `${JSON.stringify({ node, pages: timings }, null, 2)}\n`);
  console.log(JSON.stringify({ node, pages: timings }, null, 2));
});

for (const backend of ['webgl', 'wasm']) {
  test(`verifies on ${backend} as Node does`, async ({ page }) => {
    await page.route('**/test-images/*', (route) =>
      route.fulfill({ body: files[route.request().url().split('/').pop() ?? ''], contentType: 'image/png' }),
    );
    await page.goto(`/?backend=${backend}`);
    const ready = await page.evaluate(() => window.mfr.ready);
    expect(ready.backend).toBe(backend);
    const verify = (probe: string, mask = false) =>
      page.evaluate(
        ([p, m]) => window.mfr.verifyUrls('/test-images/reference.png', p as string, { mask: m as boolean }),
        [`/test-images/${probe}`, mask] as const,
      );

    const same = await verify('masked-same.png');
    expect(same.match).toBe(true);
    expect(Math.abs((same.score ?? Number.NaN) - node.same)).toBeLessThan(1e-3);
    const other = await verify('masked-other.png');
    expect(other.match).toBe(false);
    expect(Math.abs((other.score ?? Number.NaN) - node.other)).toBeLessThan(1e-3);
    // the mask drawn in the page, on the unmasked picture of the same person
    const inPage = await verify('shot.png', true);
    expect(inPage.masked).toBe(true);
    expect(inPage.match).toBe(true);
    // the same landmarks, seed and spec as Node's masked copy: the page's canvas draws the same mask
    expect(Math.abs((inPage.score ?? Number.NaN) - node.same)).toBeLessThan(1e-3);
    // steady-state speed: a few more runs after the first (which compiles shaders / warms up)
    const runs: PageResult['timings'][] = [];
    for (let i = 0; i < 3; i++) runs.push((await verify('masked-same.png')).timings);
    const median = (k: 'enroll' | 'verify') => runs.map((r) => r[k]).sort((a, b) => a - b)[1];
    timings.push({
      backend,
      loadMs: Math.round(ready.loadMs),
      enrollMs: Math.round(median('enroll')),
      verifyMs: Math.round(median('verify')),
      firstEnrollMs: Math.round(same.timings.enroll),
      maskInPageMs: Math.round(inPage.timings.mask ?? Number.NaN),
      scores: { same: same.score, other: other.score, maskedInPage: inPage.score },
    });
    if (backend === 'webgl') await page.screenshot({ path: 'test-results/web-verify.png', fullPage: true });
  });
}
