/**
 * Masked probes of the sample faces, as the matcher tests and the shipped model's card use them: for each of the
 * 22 people, an unmasked reference (framing 0) and a masked probe made from another picture (framing 2) with the
 * default mask (light-blue NIST wide), seed = the face's index. Genuine pairs are reference i vs probe i.
 */
import { join } from 'node:path';
import { readImagePixels, writeImage } from '@mfr/core/node';
import { createLandmarker, maskImage } from '@mfr/masking';
import { SAMPLE_FACE_COUNT, writeSampleFaceCrop } from './sample-faces.js';

/** Writes `ref-<i>.jpg` and `probe-<i>.png` for every sample face into `dir`; returns their paths by index. */
export async function writeSampleProbes(dir: string): Promise<{ references: string[]; probes: string[] }> {
  const landmarker = await createLandmarker({ kind: 'face68' });
  const references: string[] = [];
  const probes: string[] = [];
  try {
    for (let i = 0; i < SAMPLE_FACE_COUNT; i++) {
      references.push(await writeSampleFaceCrop(i, join(dir, `ref-${i}.jpg`)));
      const shot = await readImagePixels(
        await writeSampleFaceCrop(i, join(dir, `shot-${i}.jpg`), { variant: 2 }),
      );
      const masked = await maskImage(shot, {}, { landmarker, verifier: null, seed: i });
      if (!masked.image)
        throw new Error(`writeSampleProbes: sample face ${i} could not be masked (${masked.status})`);
      const path = join(dir, `probe-${i}.png`);
      await writeImage(path, { ...masked.image, channels: 3 });
      probes.push(path);
    }
  } finally {
    landmarker.dispose();
  }
  return { references, probes };
}
