import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import {
  createFace68Landmarker,
  createFaceFinder,
  type DetectorPass,
  FACE_FINDER_PASSES,
  FAST_FACE_FINDER_PASSES,
  type FaceFinder,
  maskImage,
  passLabel,
  type RgbImage,
} from '@mfr/masking';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePhotoPaths, writeSampleFaceCrop } from '../../../test-support/sample-faces.js';
import { greyImage } from './landmarks-helpers.js';

let finder: FaceFinder;
const work = mkdtempSync(join(tmpdir(), 'mfr-face-finder-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  finder = await createFaceFinder();
});
afterAll(() => finder?.dispose());

describe('createFaceFinder', () => {
  it('names its chain, and every face says which pass found it', async () => {
    expect(finder.chain).toEqual([
      'face68:ssd>=0.3+pad0.5<=400px',
      'face68:tiny@96',
      'face68:tiny@96+pad0.3',
    ]);
    expect(FACE_FINDER_PASSES).toHaveLength(3);
    const faces = await finder.find(await readImagePixels(samplePhotoPaths()[0]));
    expect(faces).toHaveLength(3);
    // all from the first pass that found any
    expect(new Set(faces.map((f) => f.foundBy))).toEqual(new Set(['face68:ssd>=0.3+pad0.5<=400px']));
    for (const face of faces) expect(face.landmarks68).toHaveLength(68);
    // largest first
    const areas = faces.map((f) => f.box.width * f.box.height);
    expect([...areas].sort((a, b) => b - a)).toEqual(areas);
  });

  it('has a fast order, tiny@96 first, which leaves the small faces of a large group photo to padded SSD', async () => {
    const fast = await createFaceFinder({ passes: FAST_FACE_FINDER_PASSES });
    try {
      expect(fast.chain).toEqual(['face68:tiny@96', 'face68:tiny@96+pad0.3', 'face68:ssd>=0.3+pad0.3']);
      const faces = await fast.find(await readImagePixels(samplePhotoPaths()[0]));
      expect(faces).toHaveLength(3);
      expect(new Set(faces.map((f) => f.foundBy))).toEqual(new Set(['face68:ssd>=0.3+pad0.3']));
    } finally {
      fast.dispose();
    }
  });

  it('finds a masked face, and a face that fills a tight crop', async () => {
    const photo = await readImagePixels(await writeSampleFaceCrop(7, join(work, 'face.jpg')));
    const masked = await maskImage(
      photo,
      { shape: 'round', color: 'black' },
      { landmarker: asLandmarker(finder), verifier: null },
    );
    expect(masked.image).toBeDefined();
    const [found] = await finder.find(masked.image!);
    expect(found.foundBy).toMatch(/^face68:/);
    // a crop around the face box only: detectors need the padded pass
    const tight = await readImagePixels(
      await writeSampleFaceCrop(7, join(work, 'tight.jpg'), { size: 224 }),
      {},
    );
    expect((await finder.find(tight)).length).toBeGreaterThanOrEqual(1);
  });

  it('detects a batch as it detects each image alone, whichever pass finds each face', async () => {
    const images: RgbImage[] = [greyImage()];
    for (const i of [7, 0, 14, 1, 10])
      images.push(await readImagePixels(await writeSampleFaceCrop(i, join(work, `batch-${i}.jpg`))));
    for (const i of [7, 0, 14])
      images.push(
        await readImagePixels(
          await writeSampleFaceCrop(i, join(work, `batch-tight-${i}.jpg`), { size: 224 }),
        ),
      );
    // passes that split these faces between them: tiny@64 finds some, the padded pass most others, SSD one
    const mixed: DetectorPass[] = [
      { model: 'tiny', inputSize: 64, minScore: 0.5 },
      { model: 'tiny', inputSize: 96, minScore: 0.5, pad: 0.3 },
      { model: 'ssd', minScore: 0.3 },
    ];
    for (const passes of [mixed, undefined]) {
      const lm = await createFace68Landmarker({ passes });
      try {
        const batch = await lm.detectBatch?.(images);
        const alone = [];
        for (const image of images) alone.push(await lm.detect(image));
        expect(batch).toEqual(alone);
        expect(alone[0]).toEqual([]);
        if (passes === mixed)
          expect(new Set(alone.map((faces) => faces[0]?.foundBy))).toEqual(
            new Set([undefined, ...mixed.map(passLabel)]),
          );
        const before = tf.memory().numTensors;
        await lm.detectBatch?.(images);
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        lm.dispose();
      }
    }
  });

  it('pads only images up to padBelow pixels, and says so in its label', async () => {
    const tight = await readImagePixels(
      await writeSampleFaceCrop(7, join(work, 'tight-pad.jpg'), { size: 224 }),
      {},
    );
    const ssd = { model: 'ssd', minScore: 0.3 } as const;
    expect(passLabel({ ...ssd, pad: 0.5, padBelow: 400 })).toBe('face68:ssd>=0.3+pad0.5<=400px');
    const boxWith = async (pass: DetectorPass) => {
      const lm = await createFace68Landmarker({ passes: [pass] });
      try {
        const [face] = await lm.detect(tight);
        return face.box;
      } finally {
        lm.dispose();
      }
    };
    const unpadded = await boxWith(ssd);
    const padded = await boxWith({ ...ssd, pad: 0.5 });
    expect(padded).not.toEqual(unpadded); // the border changes what SSD sees
    expect(await boxWith({ ...ssd, pad: 0.5, padBelow: 224 })).toEqual(padded);
    expect(await boxWith({ ...ssd, pad: 0.5, padBelow: 223 })).toEqual(unpadded);
  });

  it('finds nothing in a flat grey image, leaks no tensors, and cannot be used after dispose()', async () => {
    await finder.find(greyImage());
    const before = tf.memory().numTensors;
    expect(await finder.find(greyImage())).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    const once = await createFaceFinder();
    once.dispose();
    await expect(once.find(greyImage())).rejects.toThrow(/after dispose/);
  });
});

/** The finder as the Landmarker maskImage takes. */
function asLandmarker(f: FaceFinder) {
  return {
    kind: 'face68' as const,
    detect: (image: Parameters<FaceFinder['find']>[0]) => f.find(image),
    dispose: () => undefined,
  };
}
