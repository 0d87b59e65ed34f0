import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type Dataset,
  filterMinImages,
  type ImageItem,
  imageCount,
  initBackend,
  iterateImages,
  naturalCompare,
  readImagePixels,
  scanDataset,
  splitByIdentity,
  streamImageBatches,
} from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DATA = resolve(__dirname, '../../../../shared/datasets');
let dir: string;
let att: Dataset;

beforeAll(async () => {
  await initBackend();
  dir = await mkdtemp(join(tmpdir(), 'mfr-dataset-'));
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

  it('scans Yale B and all of LFW with the documented counts', async () => {
    const yale = await scanDataset(join(DATA, 'yaleb'));
    expect(yale.identities).toHaveLength(38);
    expect(imageCount(yale)).toBe(2414);
    const lfw = await scanDataset(join(DATA, 'lfw/images'), { name: 'lfw' });
    expect(lfw.name).toBe('lfw');
    expect(lfw.identities).toHaveLength(5749);
    expect(imageCount(lfw)).toBe(13233);
    expect(filterMinImages(lfw, 2).identities).toHaveLength(1680);
    const lfw2 = await scanDataset(join(DATA, 'lfw/images'), { minImagesPerIdentity: 2 });
    expect(lfw2.identities.map((i) => i.name)).toEqual(filterMinImages(lfw, 2).identities.map((i) => i.name));
  });

  it('follows symlinked identity folders, ignores other files and filters by extension', async () => {
    const root = join(dir, 'lfw-slice');
    await mkdir(root);
    for (const name of ['George_W_Bush', 'Aaron_Peirsol', 'Abdullah_Gul']) {
      await symlink(join(DATA, 'lfw/images', name), join(root, name));
    }
    await writeFile(join(root, 'notes.txt'), 'not an identity');
    const ds = await scanDataset(root, { minImagesPerIdentity: 4 });
    expect(ds.identities.map((i) => i.name)).toEqual(['Aaron_Peirsol', 'Abdullah_Gul', 'George_W_Bush']);
    expect(ds.identities[2].images).toHaveLength(530);
    const none = scanDataset(root, { extensions: ['png'] });
    await expect(none).rejects.toThrow(/no sub-folder with >= 1 image\(s\) \(extensions \.png\)/);
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
