import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import { readImagePixels, writeImage } from '@mfr/core/node';
import { createLandmarker, createVerifier, maskImage } from '@mfr/masking';
import { SHIPPED_MODEL } from '@mfr/siamese';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleFaceCrop } from '../../../test-support/sample-faces.js';
import { lastJsonLine, runMfr } from './support/run-mfr.js';

const work = mkdtempSync(join(tmpdir(), 'mfr-cli-verify-'));
const photo = (name: string) => join(work, name);
const mfr = (args: string[]) => runMfr(['verify', ...args], { env: { MFR_BACKEND: 'wasm' } });

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  // a face, a masked copy of another picture of her, and another person
  await writeSampleFaceCrop(7, photo('reference.jpg'));
  await writeSampleFaceCrop(13, photo('other.jpg'));
  // as test-support/sample-probes.ts makes them: framing 2, the default mask, seed = the face's index
  const shot = await writeSampleFaceCrop(7, photo('shot.jpg'), { variant: 2 });
  const landmarker = await createLandmarker({ kind: 'face68' });
  const verifier = await createVerifier();
  const masked = await maskImage(await readImagePixels(shot), {}, { landmarker, verifier, seed: 7 });
  landmarker.dispose();
  verifier.dispose();
  await writeImage(photo('masked.jpg'), { ...masked.image!, channels: 3 });
  await writeImage(photo('grey.png'), {
    data: new Uint8Array(160 * 160 * 3).fill(128),
    width: 160,
    height: 160,
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mfr verify', () => {
  it('says match (exit 0) for a masked copy of the same person, with the faces found and the score', () => {
    const run = mfr([photo('reference.jpg'), photo('masked.jpg'), '--json']);
    expect(run.status, run.stderr).toBe(0);
    const json = lastJsonLine(run.stdout);
    expect(json).toMatchObject({ match: true, far: 0.01, model: SHIPPED_MODEL });
    expect(json.score).toBeGreaterThanOrEqual(json.threshold);
    expect(json.probe.foundBy).toMatch(/^(face68|facemesh)/);
    expect(run.stderr).toMatch(/^MATCH: score 0\.\d{4} >= threshold 0\.\d{4} \(FAR 0\.01\)$/m);
  });

  it('says no match (exit 1) for two different people, readable on stdout without --json', () => {
    const run = mfr([photo('other.jpg'), photo('masked.jpg')]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^NO MATCH: score 0\.\d{4} < threshold/m);
    expect(run.stdout).toMatch(/^reference: face at \(\d+, \d+\) \d+x\d+ px, found by face68:/m);
  });

  it('gives no answer (exit 2) for a photo without a face or a missing file, and says why', () => {
    const noFace = mfr([photo('reference.jpg'), photo('grey.png'), '--json']);
    expect(noFace.status).toBe(2);
    expect(lastJsonLine(noFace.stdout)).toMatchObject({
      match: false,
      score: null,
      reason: 'no-face-in-probe',
    });
    const missing = mfr([photo('reference.jpg'), photo('nope.jpg')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/probe photo ".*nope\.jpg" does not exist/);
    const centre = mfr([photo('reference.jpg'), photo('grey.png'), '--fallback', 'center-crop', '--json']);
    expect([0, 1]).toContain(centre.status);
    expect(lastJsonLine(centre.stdout).probe.foundBy).toBe('center-crop');
  });
});
