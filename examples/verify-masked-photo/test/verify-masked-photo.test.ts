import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import { readImagePixels, writeImage } from '@mfr/core/node';
import { createLandmarker, createVerifier, maskImage } from '@mfr/masking';
import { describe, expect, it } from 'vitest';
import { writeSampleFaceCrop } from '../../../test-support/sample-faces.js';
import { verifyMaskedPhoto } from '../src/main.js';

describe('examples/verify-masked-photo', () => {
  it('says same person for a masked photo of the ID photo’s person, different people otherwise', async () => {
    await initBackend({ backend: 'wasm' });
    const work = mkdtempSync(join(tmpdir(), 'mfr-example-verify-'));
    // the masked photo: another picture of sample face 0, with a synthetic mask
    const idPhoto = await writeSampleFaceCrop(0, join(work, 'id.jpg'));
    const otherPerson = await writeSampleFaceCrop(9, join(work, 'other.jpg'));
    const shot = await writeSampleFaceCrop(0, join(work, 'shot.jpg'), { variant: 2 });
    const landmarker = await createLandmarker({ kind: 'face68' });
    const verifier = await createVerifier();
    const masked = await maskImage(await readImagePixels(shot), {}, { landmarker, verifier, seed: 1 });
    landmarker.dispose();
    verifier.dispose();
    expect(masked.status).toBe('masked');
    const probe = join(work, 'masked.png');
    await writeImage(probe, { ...masked.image!, channels: 3 });

    const same = await verifyMaskedPhoto({ idPhoto, maskedPhoto: probe });
    const other = await verifyMaskedPhoto({ idPhoto: otherPerson, maskedPhoto: probe });
    expect(same.match).toBe(true);
    expect(other.match).toBe(false);
    expect(same.score).toBeGreaterThan(other.score as number);
    const strict = await verifyMaskedPhoto({ idPhoto, maskedPhoto: probe, far: 0.001 });
    expect(strict.threshold).toBeGreaterThan(same.threshold);
  });
});
