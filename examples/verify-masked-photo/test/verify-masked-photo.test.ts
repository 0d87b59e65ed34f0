import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, readImagePixels, writeImage } from '@mfr/core';
import { createLandmarker, createVerifier, maskImage } from '@mfr/masking';
import { describe, expect, it } from 'vitest';
import { verifyMaskedPhoto } from '../src/main.js';

const ATT = fileURLToPath(new URL('../../../../shared/datasets/att', import.meta.url));

describe('examples/verify-masked-photo', () => {
  it('scores the same person above a different person', async () => {
    await initBackend({ backend: 'wasm' });
    const work = mkdtempSync(join(tmpdir(), 'mfr-example-verify-'));
    // the masked photo: AT&T s1, another shot, with a synthetic mask
    const landmarker = await createLandmarker({ kind: 'face68' });
    const verifier = await createVerifier();
    const masked = await maskImage(
      await readImagePixels(join(ATT, 's1', '2.png')),
      { shape: 'wide' },
      { landmarker, verifier, seed: 1 },
    );
    landmarker.dispose();
    verifier.dispose();
    expect(masked.image).toBeDefined();
    const probe = join(work, 'masked.png');
    await writeImage(probe, { ...masked.image!, channels: 3 });

    const same = await verifyMaskedPhoto({ idPhoto: join(ATT, 's1', '1.png'), maskedPhoto: probe });
    const other = await verifyMaskedPhoto({ idPhoto: join(ATT, 's9', '1.png'), maskedPhoto: probe });
    expect(same.score).toBeGreaterThan(other.score);
    expect(same.samePerson).toBe(same.score >= same.threshold);
    await expect(verifyMaskedPhoto({ idPhoto: probe, maskedPhoto: probe, model: 'x/ckpt' })).rejects.toThrow(
      /threshold/,
    );
  });
});
