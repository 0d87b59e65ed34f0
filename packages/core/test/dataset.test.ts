import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRng,
  type Dataset,
  type ImageItem,
  imageCount,
  initBackend,
  iterateImages,
  naturalCompare,
  splitByIdentity,
  validationHoldout,
} from '@mfr/core';
import { readImagePixels, scanDataset, streamImageBatches } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
/** An AT&T-shaped tree written by the test (sN/K.png, 40 x 10 small greyscale PNGs): its right answers are known. */
let DATA: string;
let att: Dataset;

/** Writes `count` seeded-noise greyscale PNGs 1.png .. count.png into `folder`. */
async function writeNoiseImages(
  folder: string,
  count: number,
  seed: number,
  name = (k: number) => `${k}.png`,
) {
  await mkdir(folder, { recursive: true });
  const rng = createRng(seed);
  for (let k = 1; k <= count; k++) {
    const pixels = Buffer.from(Uint8Array.from({ length: 46 * 56 }, () => rng.int(256)));
    await sharp(pixels, { raw: { width: 46, height: 56, channels: 1 } })
      .png()
      .toFile(join(folder, name(k)));
  }
}

beforeAll(async () => {
  await initBackend();
  dir = await mkdtemp(join(tmpdir(), 'mfr-dataset-'));
  DATA = join(dir, 'data');
  for (let s = 1; s <= 40; s++) await writeNoiseImages(join(DATA, 'att', `s${s}`), 10, s);
  await writeNoiseImages(join(DATA, 'yaleb', 'yaleB01'), 1, 99, () => 'yaleB01_P00A-130E+20.png');
  att = await scanDataset(join(DATA, 'att'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The first k identities of AT&T, for fast streaming tests.
const attSlice = (k: number): Dataset => ({ ...att, identities: att.identities.slice(0, k) });

describe('scanDataset', () => {
  it('scans AT&T: 40 identities x 10 images, natural order, absolute paths', () => {
    expect(att.name).toBe('att');
    expect(att.root).toBe(join(DATA, 'att'));
    expect(att.identities).toHaveLength(40);
    expect(imageCount(att)).toBe(400);
    expect(att.identities.slice(0, 3).map((i) => i.name)).toEqual(['s1', 's2', 's3']);
    expect(att.identities[39].name).toBe('s40');
    expect(att.identities[0].images.map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual(
      Array.from({ length: 10 }, (_, i) => `${i + 1}.png`),
    );
    expect(att.identities[0].images[0]).toBe(join(DATA, 'att/s1/1.png'));
  });

  it('follows symlinked identity folders, ignores other files and filters by extension', async () => {
    const root = join(dir, 'lfw-slice');
    await mkdir(root);
    const counts = { George_W_Bush: 12, Aaron_Peirsol: 4, Abdullah_Gul: 5, AJ_Cook: 2 };
    for (const [i, [name, count]] of Object.entries(counts).entries()) {
      await writeNoiseImages(join(dir, 'people', name), count, 100 + i, (k) => `${name}_${k}.jpg.png`);
      await symlink(join(dir, 'people', name), join(root, name));
    }
    await writeFile(join(root, 'notes.txt'), 'not an identity');
    const ds = await scanDataset(root, { minImagesPerIdentity: 4 });
    expect(ds.identities.map((i) => i.name)).toEqual(['Aaron_Peirsol', 'Abdullah_Gul', 'George_W_Bush']);
    expect(ds.identities[2].images).toHaveLength(12);
    const none = scanDataset(root, { extensions: ['jpg'] });
    await expect(none).rejects.toThrow(/no sub-folder with >= 1 image\(s\) \(extensions \.jpg\)/);
  });

  it('gives clear errors for missing, non-folder and empty paths', async () => {
    await expect(scanDataset(join(dir, 'missing'))).rejects.toThrow(/missing" not found/);
    await writeFile(join(dir, 'file.txt'), 'x');
    await expect(scanDataset(join(dir, 'file.txt'))).rejects.toThrow(/file\.txt" is not a folder/);
    await mkdir(join(dir, 'empty'));
    await expect(scanDataset(join(dir, 'empty'))).rejects.toThrow(/empty" has no identity sub-folders/);
  });

  it('sorts names naturally and totally', () => {
    expect(['s10', 's2', 's1', 'a', 's01'].sort(naturalCompare)).toEqual(['a', 's01', 's1', 's2', 's10']);
    expect(['10.png', '9.png', '1.png'].sort(naturalCompare)).toEqual(['1.png', '9.png', '10.png']);
  });
});

describe('iterateImages and splitByIdentity', () => {
  it('iterates lazily in dataset order with identity indices', () => {
    const it = iterateImages(att);
    expect(it.next().value).toEqual({ identity: 's1', identityIndex: 0, path: join(DATA, 'att/s1/1.png') });
    const all = [...iterateImages(att)];
    expect(all).toHaveLength(400);
    expect(all[399]).toEqual({ identity: 's40', identityIndex: 39, path: join(DATA, 'att/s40/10.png') });
  });

  it('splits by identity: disjoint, complete, seeded and deterministic', () => {
    const a = splitByIdentity(att, { train: 0.8, val: 0.1, test: 0.1, seed: 7 });
    const names = (d: Dataset) => d.identities.map((i) => i.name);
    expect([a.train, a.val, a.test].map((d) => d.identities.length)).toEqual([32, 4, 4]);
    const all = [...names(a.train), ...names(a.val), ...names(a.test)];
    expect(new Set(all).size).toBe(40);
    expect(all.sort(naturalCompare)).toEqual(names(att));
    expect(splitByIdentity(att, { train: 0.8, val: 0.1, test: 0.1, seed: 7 })).toEqual(a);
    const b = splitByIdentity(att, { train: 0.8, val: 0.1, test: 0.1, seed: 8 });
    expect(names(b.test)).not.toEqual(names(a.test));
    // the input order does not matter
    const reversed = { ...att, identities: [...att.identities].reverse() };
    expect(splitByIdentity(reversed, { train: 0.8, val: 0.1, test: 0.1, seed: 7 })).toEqual(a);
    // largest remainder: 0.5/0.25/0.25 of 7 = 3.5/1.75/1.75 -> 3/2/2; a tie (3.5/3.5/0) goes to the earlier split
    const seven = { ...att, identities: att.identities.slice(0, 7) };
    const s = splitByIdentity(seven, { train: 0.5, val: 0.25, test: 0.25, seed: 1 });
    expect([s.train, s.val, s.test].map((d) => d.identities.length)).toEqual([3, 2, 2]);
    const t = splitByIdentity(seven, { train: 0.5, val: 0.5, test: 0, seed: 1 });
    expect([t.train, t.val, t.test].map((d) => d.identities.length)).toEqual([4, 3, 0]);
    expect(() => splitByIdentity(att, { train: 0.8, val: 0.1, test: 0.2 })).toThrow(/must be 1, got 1\.1/);
  });
});

describe('streamImageBatches', () => {
  it('yields resized [0, 1] batches in order and leaks no tensors', async () => {
    const slice = attSlice(2);
    const before = tf.memory().numTensors;
    const sizes: number[] = [];
    const seen: string[] = [];
    for await (const batch of streamImageBatches(slice, { batchSize: 8, size: [56, 46] })) {
      expect(batch.images.shape.slice(1)).toEqual([56, 46, 3]);
      sizes.push(batch.images.shape[0]);
      seen.push(...batch.items.map((i) => i.path));
      if (batch.index === 0) {
        const ref = await readImagePixels(slice.identities[0].images[0], { size: [56, 46] });
        const first = (await batch.images.data()).subarray(0, ref.data.length);
        expect(Array.from(first)).toEqual(Array.from(Float32Array.from(ref.data, (v) => v / 255)));
      }
      batch.images.dispose();
    }
    expect(sizes).toEqual([8, 8, 4]);
    expect(seen).toEqual([...iterateImages(slice)].map((i) => i.path));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports bad files and goes on; takes plain paths; keeps 0-255 when asked', async () => {
    const bad = join(dir, 'broken.jpg');
    await writeFile(bad, 'not a jpeg');
    const paths = [att.identities[0].images[0], bad, join(DATA, 'yaleb/yaleB01/yaleB01_P00A-130E+20.png')];
    const batches = [];
    for await (const batch of streamImageBatches(paths, {
      batchSize: 2,
      size: 32,
      normalize: false,
      prefetch: 0,
    })) {
      batches.push({
        n: batch.images.shape[0],
        failed: batch.failed,
        items: batch.items,
        max: tf.max(batch.images),
      });
      batch.images.dispose();
    }
    expect(batches.map((b) => b.n)).toEqual([1, 1]);
    expect(batches[0].failed).toHaveLength(1);
    expect(batches[0].failed[0].item.path).toBe(bad);
    expect(batches[0].failed[0].error).toMatch(/broken\.jpg.*unsupported or corrupt image/);
    expect(batches[0].items[0].identity).toBe('s1');
    expect(batches[1].items[0].identity).toBe('yaleB01');
    expect(batches[0].max.dataSync()[0]).toBeGreaterThan(1); // 0-255 range kept
    tf.dispose(batches.map((b) => b.max));
  });

  it('reads lazily: no more than (prefetch + 1) batches ahead, and stopping early leaks nothing', async () => {
    let pulled = 0;
    function* counting(): Generator<ImageItem> {
      for (const item of iterateImages(attSlice(5))) {
        pulled++;
        yield item;
      }
    }
    const before = tf.memory().numTensors;
    const stream = streamImageBatches(counting(), { batchSize: 4, size: 24, prefetch: 2 });
    const first = await stream.next();
    expect(first.done).toBe(false);
    // the yielded batch + 2 prefetched
    expect(pulled).toBe(12);
    if (!first.done) first.value.images.dispose();
    await stream.return(undefined);
    expect(pulled).toBe(12);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('validationHoldout', () => {
  it('holds out the preferred count on large datasets, half on small ones, none below twice the minimum', () => {
    expect(validationHoldout(5749, { preferred: 100 }).count).toBe(100);
    expect(validationHoldout(1680, { preferred: 168 }).count).toBe(168);
    expect(validationHoldout(40, { preferred: 100 })).toEqual({
      count: 20,
      reason: 'holding out 20 of 40 identities for validation (capped at 50%)',
    });
    expect(validationHoldout(60, { preferred: 6 }).count).toBe(20); // at least one 1-of-20 trial's worth
    expect(validationHoldout(39, { preferred: 100 }).count).toBe(0);
    expect(validationHoldout(39, { preferred: 100 }).reason).toMatch(
      /no validation: 39 identities are too few/,
    );
    expect(validationHoldout(12, { preferred: 5, minimum: 5 }).count).toBe(5);
  });
});
