import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, initBackend } from '@mfr/core';
import { readImagePixels, writeImage } from '@mfr/core/node';
import { createLandmarker, imageSeed, type Landmarker, type ManifestEntry } from '@mfr/masking';
import {
  BATCH_PIXEL_BUDGET,
  type MaskProgress,
  maskDataset,
  readMaskManifest,
  walkImages,
} from '@mfr/masking/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceFiles } from './landmarks-helpers.js';

let landmarker: Landmarker;
let work: string;
let input: string;

const readManifestLines = (dir: string): ManifestEntry[] =>
  readFileSync(join(dir, 'manifest.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ManifestEntry);

beforeAll(async () => {
  await initBackend();
  landmarker = await createLandmarker({ kind: 'face68' });
  work = mkdtempSync(join(tmpdir(), 'mfr-mask-batch-'));
  input = join(work, 'in');
  // 3 colour faces in two folders, 1 greyscale PNG face, a grey image, a corrupt and an empty file
  const faces = await faceFiles();
  for (const [i, name] of [faces[0], faces[1], faces[2], faces[5]].entries()) {
    const dir = join(input, i < 2 ? 'a' : 'b');
    mkdirSync(dir, { recursive: true });
    copyFileSync(name, join(dir, `${i}-${name.split('/').pop()}`));
  }
  await writeImage(join(input, 'grey.png'), {
    data: new Uint8Array(120 * 120 * 3).fill(128),
    width: 120,
    height: 120,
  });
  writeFileSync(join(input, 'b', 'corrupt.jpg'), Buffer.from('this is not a jpeg'));
  writeFileSync(join(input, 'empty.png'), Buffer.alloc(0));
  writeFileSync(join(input, 'notes.txt'), 'not an image, ignored');
});

afterAll(() => {
  landmarker?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('walkImages and imageSeed', () => {
  it('walks image files only, sorted, as relative paths', async () => {
    const paths: string[] = [];
    for await (const p of walkImages(input)) paths.push(p);
    expect(paths).toEqual([
      'a/0-face-0.jpg',
      'a/1-face-7.jpg',
      'b/2-face-1.jpg',
      'b/3-face-16.png',
      'b/corrupt.jpg',
      'empty.png',
      'grey.png',
    ]);
  });

  it('derives per-image seeds from the base seed and the path only', () => {
    expect(imageSeed(1, 'a/x.jpg')).toBe(imageSeed(1, 'a/x.jpg'));
    expect(imageSeed(1, 'a/x.jpg')).not.toBe(imageSeed(2, 'a/x.jpg'));
    expect(imageSeed(1, 'a/x.jpg')).not.toBe(imageSeed(1, 'a/y.jpg'));
  });
});

describe('maskDataset', () => {
  it('masks a folder, mirrors its layout, records every image, and never stops on a bad file', async () => {
    const out = join(work, 'out1');
    const progress: MaskProgress[] = [];
    const before = tf.memory().numTensors;
    const r = await maskDataset(
      input,
      out,
      { shape: 'a' },
      {
        landmarker,
        seed: 5,
        saveMasks: true,
        onProgress: (p) => progress.push(p),
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(r.total).toBe(7);
    expect(r.counts).toEqual({ masked: 4, noFace: 1, notVerified: 0, errors: 2, skipped: 0 });
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(progress.at(-1)?.total).toBe(7);
    expect(progress.at(-1)?.eta).toBe(0);

    const lines = readManifestLines(out);
    expect(lines).toHaveLength(7);
    const by = new Map(lines.map((l) => [l.source, l]));
    const face = by.get('a/0-face-0.jpg') as ManifestEntry;
    expect(face.status).toBe('masked');
    expect(face.output).toBe('a/0-face-0.jpg');
    expect(face.landmarks).toHaveLength(68);
    expect(face.box?.width).toBeGreaterThan(50);
    expect(face.spec.shape).toBe('a');
    expect(face.seed).toBe(imageSeed(5, 'a/0-face-0.jpg'));
    expect(face.mask).toBe('.masks/a/0-face-0.png');
    expect(existsSync(join(out, face.mask as string))).toBe(true);
    expect(existsSync(join(out, 'a/0-face-0.jpg'))).toBe(true);
    expect(existsSync(join(out, 'b/3-face-16.png'))).toBe(true);
    expect(by.get('grey.png')?.status).toBe('no-face');
    expect(existsSync(join(out, 'grey.png'))).toBe(false);
    expect(by.get('b/corrupt.jpg')?.status).toBe('error');
    expect(by.get('b/corrupt.jpg')?.reason).toMatch(/corrupt\.jpg.*(corrupt|unsupported)/);
    expect(by.get('empty.png')?.reason).toMatch(/empty/);
    const bytes = readFileSync(join(out, 'a/1-face-7.jpg'));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]); // still a JPEG
    const decoded = await decodeImage(bytes);
    expect([decoded.width, decoded.height]).toEqual([250, 250]);
  });

  it('resumes: a second run does no work and appends nothing', async () => {
    const out = join(work, 'out1');
    const before = readFileSync(join(out, 'manifest.jsonl'), 'utf8');
    const r = await maskDataset(input, out, { shape: 'a' }, { landmarker, seed: 5 });
    expect(r.counts).toEqual({ masked: 0, noFace: 0, notVerified: 0, errors: 0, skipped: 7 });
    expect(readFileSync(join(out, 'manifest.jsonl'), 'utf8')).toBe(before);
    // a masked output that disappeared is redone; a cut-off last line is ignored
    rmSync(join(out, 'a/1-face-7.jpg'));
    writeFileSync(join(out, 'manifest.jsonl'), `${before}{"source":"gre`);
    const again = await maskDataset(input, out, { shape: 'a' }, { landmarker, seed: 5 });
    expect(again.counts.masked).toBe(1);
    expect(again.counts.skipped).toBe(6);
    expect(again.earlierErrors).toBe(2);
    // the partial line was cut off before appending: every line parses, one effective entry per image
    const manifest = await readMaskManifest(out);
    expect(manifest.entries.size).toBe(7);
    expect(manifest.lineCount).toBe(8);
    expect(manifest.tornTail).toBe(false);
  });

  it('is deterministic: same seed and spec give byte-identical images, whatever the limit', async () => {
    const a = join(work, 'det-a');
    const b = join(work, 'det-b');
    await maskDataset(input, a, { color: 'random', texture: 'pleats' }, { landmarker, seed: 11 });
    await maskDataset(input, b, { color: 'random', texture: 'pleats' }, { landmarker, seed: 11, limit: 2 });
    for (const p of ['a/0-face-0.jpg', 'a/1-face-7.jpg']) {
      expect(readFileSync(join(a, p)).equals(readFileSync(join(b, p))), p).toBe(true);
    }
    expect(readManifestLines(b)).toHaveLength(2);
    const c = join(work, 'det-c');
    await maskDataset(input, c, { color: 'random', texture: 'pleats' }, { landmarker, seed: 12, limit: 1 });
    expect(readFileSync(join(a, 'a/0-face-0.jpg')).equals(readFileSync(join(c, 'a/0-face-0.jpg')))).toBe(
      false,
    );
  });

  it('gives the same bytes with two worker processes and whatever the batch size', async () => {
    const one = join(work, 'w1');
    const two = join(work, 'w2');
    const single = join(work, 'w3');
    await maskDataset(input, one, {}, { landmarker, seed: 3, limit: 4 });
    const r = await maskDataset(
      input,
      two,
      {},
      { landmarker: { kind: 'face68' }, seed: 3, limit: 4, workers: 2, batchSize: 3 },
    );
    expect(r.counts.masked).toBe(4);
    expect(r.cpuMs).toBeGreaterThan(0);
    const s = await maskDataset(input, single, {}, { landmarker, seed: 3, limit: 4, batchSize: 1 });
    expect(s.counts.masked).toBe(4);
    for (const l of readManifestLines(one)) {
      if (l.output)
        expect(readFileSync(join(one, l.output)).equals(readFileSync(join(single, l.output))), l.output).toBe(
          true,
        );
    }
    for (const l of readManifestLines(one)) {
      if (l.output)
        expect(readFileSync(join(one, l.output)).equals(readFileSync(join(two, l.output))), l.output).toBe(
          true,
        );
    }
  });

  it('sends large photos through the nets a few at a time (BATCH_PIXEL_BUDGET), with the same bytes', async () => {
    const big = join(work, 'big-in');
    const faces = await faceFiles();
    const side = Math.ceil(Math.sqrt(BATCH_PIXEL_BUDGET)) + 8;
    // sorted: a large photo, a small one, a large one, two small ones
    for (const [name, file, size] of [
      ['a.jpg', faces[0], side],
      ['b.jpg', faces[1], 0],
      ['c.jpg', faces[2], side],
      ['d.jpg', faces[3], 0],
      ['e.jpg', faces[4], 0],
    ] as const) {
      mkdirSync(big, { recursive: true });
      if (size === 0) copyFileSync(file, join(big, name));
      else await writeImage(join(big, name), await readImagePixels(file, { size: [size, size] }));
    }
    const sizes: number[] = [];
    const spy: Landmarker = {
      kind: 'face68',
      detect: (image) => landmarker.detect(image),
      detectBatch: (images) => {
        sizes.push(images.length);
        return landmarker.detectBatch!(images);
      },
      dispose() {},
    };
    await maskDataset(big, join(work, 'big-16'), {}, { landmarker: spy, seed: 2 });
    // each group is flushed once it reaches the budget: [a], [b, c], [d, e]
    expect(sizes).toEqual([1, 2, 2]);
    await maskDataset(big, join(work, 'big-1'), {}, { landmarker, seed: 2, batchSize: 1 });
    const lines = readManifestLines(join(work, 'big-1'));
    expect(lines.filter((l) => l.status === 'masked').length).toBeGreaterThanOrEqual(4);
    for (const l of lines) {
      if (l.output)
        expect(
          readFileSync(join(work, 'big-16', l.output)).equals(readFileSync(join(work, 'big-1', l.output))),
          l.output,
        ).toBe(true);
    }
  });

  it('refuses bad arguments with a clear message', async () => {
    await expect(maskDataset(join(work, 'missing'), join(work, 'x'))).rejects.toThrow(/does not exist/);
    await expect(maskDataset(join(input, 'grey.png'), join(work, 'x'))).rejects.toThrow(
      /"[^"]*grey\.png" is a file; pass a folder of images \(searched recursively\)/,
    );
    await expect(maskDataset(input, input)).rejects.toThrow(/must differ/);
    await expect(maskDataset(input, join(work, 'y'), {}, { landmarker, workers: 2 })).rejects.toThrow(
      /workers > 1/,
    );
    await expect(maskDataset(input, join(work, 'y'), {}, { landmarker, batchSize: 0 })).rejects.toThrow(
      /batchSize must be an integer >= 1, got 0/,
    );
    // a worker that cannot load its models stops the run with its reason (and leaves no process behind)
    await expect(
      maskDataset(input, join(work, 'z'), {}, { landmarker: { kind: 'bogus' } as never, workers: 2 }),
    ).rejects.toThrow(/worker could not start: .*unknown kind "bogus"/);
  });
});

describe('maskDataset failures, retries and interrupted runs', () => {
  it('groups what was not masked by reason', async () => {
    const r = await maskDataset(input, join(work, 'grouped'), {}, { landmarker, seed: 5 });
    expect(r.failures.errors).toEqual({
      'corrupt-image': { count: 1, examples: ['b/corrupt.jpg'] },
      'empty-file': { count: 1, examples: ['empty.png'] },
    });
    expect(r.failures.noFace).toEqual({ count: 1, examples: ['grey.png'] });
    expect(r.staleTempFiles).toEqual([]);
  });

  it('retries errors on request and removes temp files a killed run left', async () => {
    const folder = join(work, 'retry-in');
    const out = join(work, 'retry-out');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'x.jpg'), 'not a jpeg');
    const first = await maskDataset(folder, out, {}, { landmarker, seed: 1 });
    expect(first.counts).toMatchObject({ masked: 0, errors: 1 });
    copyFileSync((await faceFiles())[0], join(folder, 'x.jpg'));
    // a plain rerun keeps the error; --retry-errors redoes it
    const kept = await maskDataset(folder, out, {}, { landmarker, seed: 1 });
    expect(kept.counts).toMatchObject({ masked: 0, errors: 0, skipped: 1 });
    expect(kept.earlierErrors).toBe(1);
    writeFileSync(join(out, '.x.jpg.99999.0.tmp'), 'half-written');
    writeFileSync(join(out, 'mine.tmp'), 'a file of the user');
    const retried = await maskDataset(folder, out, {}, { landmarker, seed: 1, retryErrors: true });
    expect(retried.counts).toMatchObject({ masked: 1, errors: 0, skipped: 0 });
    expect(retried.staleTempFiles).toEqual(['.x.jpg.99999.0.tmp']);
    expect(existsSync(join(out, '.x.jpg.99999.0.tmp'))).toBe(false);
    expect(existsSync(join(out, 'mine.tmp'))).toBe(true);
    const manifest = await readMaskManifest(out);
    expect(manifest.lineCount).toBe(2);
    expect([...manifest.entries.values()].map((e) => [e.source, e.status])).toEqual([['x.jpg', 'masked']]);
  });
});
