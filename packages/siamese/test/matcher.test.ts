import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@mfr/core';
import { readImage, readImagePixels, writeImage } from '@mfr/core/node';
import { createMatcher, type Matcher, readCalibration } from '@mfr/siamese';
import { shippedModelDir } from '@mfr/siamese/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FACE_COUNT, samplePhotoPaths } from '../../../test-support/sample-faces.js';
import { writeSampleProbes } from '../../../test-support/sample-probes.js';
import { sampleFaceDecisions } from '../bench/sample-faces.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mfr-matcher-'));
let matcher: Matcher;
/** Sample face i: an unmasked reference and a masked probe from another picture (see writeSampleProbes). */
let references: string[];
let probes: string[];
const reference = (i: number) => references[i];
const probe = (i: number) => probes[i];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  ({ references, probes } = await writeSampleProbes(work));
  matcher = await createMatcher();
});
afterAll(() => matcher?.dispose());

describe('the shipped model', () => {
  it('is small, in one place, with a model card and thresholds at FAR 1% and 0.1%', async () => {
    const dir = shippedModelDir();
    const card = readFileSync(join(dir, 'MODEL_CARD.md'), 'utf8');
    for (const section of ['Training data', 'Reproduce', 'Calibrated thresholds', 'Held-out results']) {
      expect(card).toContain(section);
    }
    // the matcher issue's budget for our own weights: at most 8 MB in all, in one folder of models
    const files = readdirSync(join(dir, '..'), { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    const bytes = files.reduce((n, f) => n + statSync(join(f.parentPath, f.name)).size, 0);
    expect(bytes).toBeLessThanOrEqual(8_000_000);
    const { thresholds } = await readCalibration(dir);
    expect(thresholds.map((t) => t.far)).toEqual([0.01, 0.001]);
    expect(thresholds[1].threshold).toBeGreaterThan(thresholds[0].threshold);
    expect(matcher.threshold()).toBe(thresholds[0].threshold);
    expect(matcher.threshold(0.001)).toBe(thresholds[1].threshold);
  });

  it("gives the model card's numbers on face-api's sample faces: masked probe vs reference, same and different people", async () => {
    const documented = JSON.parse(readFileSync(join(shippedModelDir(), 'sample-faces.json'), 'utf8'));
    const { genuineAccepted, impostorAccepted, top1 } = await sampleFaceDecisions(
      matcher,
      references,
      probes,
    );
    // counts can move by one where a score sits at the threshold on another backend
    expect(Math.abs(genuineAccepted - documented.genuineAccepted)).toBeLessThanOrEqual(1);
    expect(Math.abs(impostorAccepted - documented.impostorAccepted)).toBeLessThanOrEqual(1);
    expect(top1).toBe(documented.top1);
    expect(genuineAccepted).toBeGreaterThanOrEqual(SAMPLE_FACE_COUNT - 4);
    // nearly every masked probe ranks its own reference first among the 22
    expect(top1).toBeGreaterThanOrEqual(SAMPLE_FACE_COUNT - 3);
    // far fewer impostor pairs accepted than genuine ones, out of 21x as many (the FAR 1% threshold, calibrated on
    // LFW, accepts 8-11% of this homogeneous gallery's impostor pairs: see the model card)
    expect(impostorAccepted / (SAMPLE_FACE_COUNT * (SAMPLE_FACE_COUNT - 1))).toBeLessThan(0.15);
  });
});

describe('createMatcher', () => {
  it('verifies a masked probe against its reference, and not against another person', async () => {
    const same = await matcher.verify(reference(0), probe(0));
    const other = await matcher.verify(reference(9), probe(0));
    expect(same).toMatchObject({ match: true, far: 0.01, threshold: matcher.threshold() });
    expect(other.match).toBe(false);
    expect(same.score).toBeGreaterThan(other.score as number);
    expect(same.probe?.foundBy).toMatch(/^(face68:|facemesh)/);
    expect(same.reference?.facesFound).toBe(1);
    const strict = await matcher.verify(reference(0), probe(0), { far: 0.001 });
    expect(strict.threshold).toBe(matcher.threshold(0.001));
    expect(strict.score).toBeCloseTo(same.score as number, 6);
  });

  it('takes paths, bytes, tensors and RGBA pixels alike, and enrolled references', async () => {
    const fromPath = (await matcher.verify(reference(3), probe(3))).score as number;
    const bytes = new Uint8Array(readFileSync(probe(3)));
    const tensor = await readImage(probe(3));
    const pixels = await readImagePixels(probe(3));
    const rgba = new Uint8ClampedArray(pixels.width * pixels.height * 4);
    for (let i = 0; i < pixels.width * pixels.height; i++) {
      rgba.set([pixels.data[3 * i], pixels.data[3 * i + 1], pixels.data[3 * i + 2], 255], 4 * i);
    }
    const ref = await matcher.enroll(reference(3), { label: 'face-3' });
    for (const input of [bytes, tensor, { data: rgba, width: pixels.width, height: pixels.height }]) {
      expect((await matcher.verify(ref, input)).score).toBeCloseTo(fromPath, 5);
    }
    tensor.dispose();
    expect(ref.label).toBe('face-3');
  });

  it('says when a photo has no face, throws when asked, and uses the centre only when asked', async () => {
    const grey = join(work, 'grey.png');
    await writeImage(grey, { data: new Uint8Array(200 * 200 * 3).fill(128), width: 200, height: 200 });
    expect(await matcher.verify(reference(0), grey)).toMatchObject({
      match: false,
      score: null,
      reason: 'no-face-in-probe',
      probe: null,
    });
    expect((await matcher.verify(grey, probe(0))).reason).toBe('no-face-in-reference');
    const centre = await matcher.verify(reference(0), grey, { fallback: 'center-crop' });
    expect(centre.probe?.foundBy).toBe('center-crop');
    expect(typeof centre.score).toBe('number');
    await expect(matcher.enroll(grey)).rejects.toThrow(/no face found in ".*grey\.png"; pass \{ fallback/);
    const strict = await createMatcher({ onNoFace: 'throw' });
    await expect(strict.verify(reference(0), grey)).rejects.toThrow(/no face found in the probe photo/);
    strict.dispose();
  });

  it('uses the largest face of a group photo by default, or the one pickFace chooses', async () => {
    const group = samplePhotoPaths()[0];
    const largest = await matcher.enroll(group);
    expect(largest.face.facesFound).toBe(3);
    const smallest = await matcher.enroll(group, { pickFace: (faces) => faces.length - 1 });
    expect(smallest.face.box.width * smallest.face.box.height).toBeLessThan(
      largest.face.box.width * largest.face.box.height,
    );
    await expect(matcher.enroll(group, { pickFace: () => 7 })).rejects.toThrow(
      /pickFace returned 7; 3 face\(s\)/,
    );
  });

  it('identifies a masked probe among enrolled people, best first', async () => {
    const gallery = [];
    for (let i = 0; i < 8; i++) gallery.push(await matcher.enroll(reference(i), { label: `face-${i}` }));
    const { matches, probe: found } = await matcher.identify(probe(5), gallery, 3);
    expect(found?.foundBy).toBeDefined();
    expect(matches).toHaveLength(3);
    expect(matches[0]).toMatchObject({ index: 5, label: 'face-5', match: true });
    expect(matches[0].score).toBeGreaterThanOrEqual(matches[1].score);
  });

  it('leaks no tensors over many verifications, and cannot be used after dispose()', async () => {
    const ref = await matcher.enroll(reference(1));
    await matcher.verify(ref, probe(1));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await matcher.verify(ref, probe(i));
    await matcher.identify(probe(2), [ref, reference(2)], 2);
    expect(tf.memory().numTensors).toBe(before);
    const once = await createMatcher();
    once.dispose();
    await expect(once.verify(reference(0), probe(0))).rejects.toThrow(/used after dispose/);
  });
});

describe('the README example', () => {
  it('runs as written', () => {
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] as string;
    expect(code).toContain('createMatcher()');
    // the photos it names, in the folder it runs in; the script sits in the package so '@mfr/siamese' resolves
    const cwd = join(work, 'readme');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'passport.jpg'), readFileSync(reference(0)));
    writeFileSync(join(cwd, 'gate-camera.jpg'), readFileSync(probe(0)));
    writeFileSync(join(cwd, 'colleague.jpg'), readFileSync(reference(9)));
    const script = join(PACKAGE, '.tmp', `readme-${process.pid}.mts`);
    mkdirSync(join(PACKAGE, '.tmp'), { recursive: true });
    writeFileSync(script, code);
    const tsx = import.meta.resolve('tsx'); // the loader's own URL: the script runs from another folder
    const run = spawnSync(process.execPath, ['--import', tsx, script], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, MFR_BACKEND: 'wasm' },
      timeout: 240_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const [first, second] = run.stdout.trim().split('\n');
    expect(first).toMatch(/^true 0\.\d+ 0\.\d+ face68:/);
    expect(second).toBe('true 0');
  });
});
