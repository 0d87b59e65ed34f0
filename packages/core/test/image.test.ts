import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  centerCrop,
  createRng,
  cropAndResize,
  decodeImage,
  initBackend,
  resizeImage,
  toBatch,
} from '@mfr/core';
import { readImage, readImagePixels, writeImage } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleFaceCrop } from '../../../test-support/sample-faces.js';

let dir: string;

// Seeded random RGB bytes: an independent reference for lossless round trips.
function randomPixels(width: number, height: number, channels: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: width * height * channels }, () => rng.int(256));
}

beforeAll(async () => {
  await initBackend();
  dir = await mkdtemp(join(tmpdir(), 'mfr-image-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readImage / readImagePixels', () => {
  it('reads a PNG exactly as float32 RGB 0-255 [h, w, 3]', async () => {
    const data = randomPixels(7, 5, 3, 1);
    const path = join(dir, 'rgb.png');
    await sharp(data, { raw: { width: 7, height: 5, channels: 3 } })
      .png()
      .toFile(path);
    const img = await readImage(path);
    expect(img.shape).toEqual([5, 7, 3]);
    expect(img.dtype).toBe('float32');
    expect(Array.from(await img.data())).toEqual(Array.from(data));
    img.dispose();
  });

  it('expands greyscale to three equal channels and drops alpha', async () => {
    const grey = randomPixels(6, 4, 1, 2);
    const greyPath = join(dir, 'grey.png');
    await sharp(grey, { raw: { width: 6, height: 4, channels: 1 } })
      .png()
      .toFile(greyPath);
    const g = await readImagePixels(greyPath);
    expect([g.width, g.height, g.data.length]).toEqual([6, 4, 72]);
    for (let p = 0; p < 24; p++)
      expect([g.data[3 * p], g.data[3 * p + 1], g.data[3 * p + 2]]).toEqual([grey[p], grey[p], grey[p]]);

    const rgba = randomPixels(3, 3, 4, 3);
    for (let p = 0; p < 9; p++) rgba[4 * p + 3] = 255; // opaque, so colour survives unpremultiplied
    const rgbaPath = join(dir, 'rgba.png');
    await sharp(rgba, { raw: { width: 3, height: 3, channels: 4 } })
      .png()
      .toFile(rgbaPath);
    const c = await readImagePixels(rgbaPath);
    const expected = Array.from({ length: 27 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]);
    expect(Array.from(c.data)).toEqual(expected);
  });

  it('reads lossless WebP exactly and JPEG closely', async () => {
    // smooth gradient so JPEG error is small and measurable
    const width = 32;
    const height = 24;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        data[i] = x * 8;
        data[i + 1] = y * 10;
        data[i + 2] = 128;
      }
    await writeImage(join(dir, 'g.webp'), { data, width, height, channels: 3 }, { lossless: true });
    const webp = await readImagePixels(join(dir, 'g.webp'));
    expect(Array.from(webp.data)).toEqual(Array.from(data));
    await writeImage(join(dir, 'g.jpg'), { data, width, height, channels: 3 }, { quality: 95 });
    const jpg = await readImagePixels(join(dir, 'g.jpg'));
    let err = 0;
    for (let i = 0; i < data.length; i++) err += Math.abs(jpg.data[i] - data[i]);
    expect(err / data.length).toBeLessThan(3);
  });

  it('applies EXIF orientation', async () => {
    // 16 wide x 8 high, top-left 8x4 block red; orientation 6 = display rotated 90° clockwise,
    // which sends (x, y) to (7 - y, x): the block becomes the top 8 rows of the right half
    const data = new Uint8Array(16 * 8 * 3);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) data[(y * 16 + x) * 3] = 255;
    const path = join(dir, 'oriented.jpg');
    await sharp(data, { raw: { width: 16, height: 8, channels: 3 } })
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .withMetadata({ orientation: 6 })
      .toFile(path);
    const img = await readImagePixels(path);
    expect([img.width, img.height]).toEqual([8, 16]);
    const red = (x: number, y: number) => img.data[(y * 8 + x) * 3];
    expect(red(6, 3)).toBeGreaterThan(200);
    expect(red(1, 3)).toBeLessThan(50);
    expect(red(6, 12)).toBeLessThan(50);
  });

  it('parses binary and ASCII netpbm (P5, P6, P2, P3, 16-bit) with comments', async () => {
    const p5 = Buffer.concat([
      Buffer.from('P5\n# a comment\n3 2\n255\n'),
      Buffer.from([0, 10, 20, 30, 40, 255]),
    ]);
    const a = await decodeImage(p5, 'p5.pgm');
    expect([a.width, a.height]).toEqual([3, 2]);
    expect(Array.from(a.data.filter((_, i) => i % 3 === 0))).toEqual([0, 10, 20, 30, 40, 255]);
    expect(a.data[4]).toBe(10);

    const p6 = Buffer.concat([Buffer.from('P6 2 1 255\n'), Buffer.from([1, 2, 3, 4, 5, 6])]);
    expect(Array.from((await decodeImage(p6, 'p6.ppm')).data)).toEqual([1, 2, 3, 4, 5, 6]);

    const p2 = Buffer.from('P2\n2 2\n# max\n15\n0 15\n5 10\n');
    expect(Array.from((await decodeImage(p2, 'p2.pgm')).data.filter((_, i) => i % 3 === 0))).toEqual([
      0, 255, 85, 170,
    ]);

    const p3 = Buffer.from('P3 1 2 255 9 8 7 6 5 4');
    expect(Array.from((await decodeImage(p3, 'p3.ppm')).data)).toEqual([9, 8, 7, 6, 5, 4]);

    const p5wide = Buffer.concat([Buffer.from('P5 2 1 65535\n'), Buffer.from([0xff, 0xff, 0x80, 0x00])]);
    expect(Array.from((await decodeImage(p5wide, 'w.pgm')).data.filter((_, i) => i % 3 === 0))).toEqual([
      255, 128,
    ]);

    // a file on disk goes the same way, and can be resized while decoding
    const path = join(dir, 'x.pgm');
    await writeFile(path, p5);
    const t = await readImage(path, { size: [4, 6] });
    expect(t.shape).toEqual([4, 6, 3]);
    t.dispose();
  });

  it('throws errors that name the file and the reason', async () => {
    const missing = join(dir, 'nope.jpg');
    await expect(readImage(missing)).rejects.toThrow(/nope\.jpg.*not found/);
    await writeFile(join(dir, 'empty.png'), Buffer.alloc(0));
    await expect(readImage(join(dir, 'empty.png'))).rejects.toThrow(/empty\.png.*empty file/);
    await writeFile(join(dir, 'text.jpg'), 'this is not an image');
    await expect(readImage(join(dir, 'text.jpg'))).rejects.toThrow(/text\.jpg.*unsupported or corrupt image/);
    await expect(readImage(dir)).rejects.toThrow(/is a directory/);
    const png = await sharp(randomPixels(40, 40, 3, 4), { raw: { width: 40, height: 40, channels: 3 } })
      .png()
      .toBuffer();
    await writeFile(join(dir, 'cut.png'), png.subarray(0, png.length >> 1));
    await expect(readImage(join(dir, 'cut.png'))).rejects.toThrow(/cut\.png.*unsupported or corrupt image/);
    await expect(decodeImage(Buffer.from('P5 4 4 255\n\x01\x02'), 'short.pgm')).rejects.toThrow(
      /short\.pgm.*truncated netpbm/,
    );
  });

  it('reads real photos: a colour JPEG face, and a one-channel greyscale PNG expanded to RGB', async () => {
    const colour = await readImage(await writeSampleFaceCrop(0, join(dir, 'face.jpg')));
    expect(colour.shape).toEqual([250, 250, 3]);
    const greyPath = await writeSampleFaceCrop(1, join(dir, 'face-grey.png'), { grey: true, size: 92 });
    expect((await sharp(greyPath).metadata()).channels).toBe(1);
    const grey = await readImagePixels(greyPath);
    expect([grey.width, grey.height]).toEqual([92, 92]);
    for (let i = 0; i < grey.data.length; i += 3) {
      expect(grey.data[i]).toBe(grey.data[i + 1]);
      expect(grey.data[i]).toBe(grey.data[i + 2]);
    }
    const [min, max] = tf.tidy(() => [tf.min(colour).dataSync()[0], tf.max(colour).dataSync()[0]]);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(255);
    expect(max - min).toBeGreaterThan(100);
    colour.dispose();
  });

  it('leaks no tensors across repeated reads', async () => {
    const path = await writeSampleFaceCrop(2, join(dir, 'leak.png'), { grey: true, size: 112 });
    (await readImage(path)).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const img = await readImage(path);
      const batch = toBatch([img], 32);
      tf.dispose([img, batch]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('writeImage', () => {
  it('writes tensors atomically into new folders, clamping and rounding values', async () => {
    const target = join(dir, 'deep/er/out.png');
    const t = tf.tensor3d([-5, 0.4, 0.6, 254.6, 300, 128], [1, 2, 3]);
    await writeImage(target, t);
    t.dispose();
    expect(Array.from((await readImagePixels(target)).data)).toEqual([0, 0, 1, 255, 255, 128]);
    expect((await readdir(join(dir, 'deep/er'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await expect(writeImage(join(dir, 'x.bmp'), t)).rejects.toThrow(/\.jpg, \.jpeg, \.png or \.webp/);
  });

  it('writes int32 tensors and greyscale pixels', async () => {
    const t = tf.tensor3d([10, 20, 30, 40], [2, 2, 1], 'int32');
    await writeImage(join(dir, 'g1.png'), t);
    t.dispose();
    expect(Array.from((await readImagePixels(join(dir, 'g1.png'))).data)).toEqual([
      10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40,
    ]);
  });
});

describe('resize and crop helpers', () => {
  it('resizes bilinearly with half-pixel centres (alignCorners false)', () => {
    const row = tf.tensor3d([0, 4], [1, 2, 1]);
    const out = resizeImage(row, [1, 4]);
    // sample points -0.25, 0.25, 0.75, 1.25 in input pixels, clamped at the borders
    expect(Array.from(out.dataSync())).toEqual([0, 1, 3, 4]);
    const aligned = resizeImage(row, [1, 3], { alignCorners: true });
    expect(Array.from(aligned.dataSync())).toEqual([0, 2, 4]);
    tf.dispose([row, out, aligned]);
  });

  it('centre-crops and crop-and-resizes to the expected pixels', () => {
    const img = tf.tensor3d(
      Array.from({ length: 36 }, (_, i) => i),
      [6, 6, 1],
    );
    const c = centerCrop(img, [2, 4]);
    expect(Array.from(c.dataSync())).toEqual([13, 14, 15, 16, 19, 20, 21, 22]);
    // a box on whole pixels at its own size is exactly a slice
    const box = cropAndResize(img, { x: 1, y: 2, width: 3, height: 2 }, [2, 3]);
    expect(Array.from(box.dataSync())).toEqual([13, 14, 15, 19, 20, 21]);
    // halving a 2x2 block averages it (the sample lands on the block's centre)
    const half = cropAndResize(img, { x: 0, y: 0, width: 2, height: 2 }, 1);
    expect(half.dataSync()[0]).toBeCloseTo((0 + 1 + 6 + 7) / 4, 5);
    expect(() => centerCrop(img, 7)).toThrow(/larger than the image/);
    tf.dispose([img, c, box, half]);
  });

  it('builds a [0, 1] NHWC batch', () => {
    const a = tf.fill([4, 4, 3], 255) as tf.Tensor3D;
    const b = tf.fill([8, 6, 3], 51) as tf.Tensor3D;
    const batch = toBatch([a, b], [2, 2]);
    expect(batch.shape).toEqual([2, 2, 2, 3]);
    const values = batch.dataSync();
    expect(values[0]).toBeCloseTo(1, 6);
    expect(values[12]).toBeCloseTo(0.2, 6);
    tf.dispose([a, b, batch]);
  });
});
