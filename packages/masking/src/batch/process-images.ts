/** A batch of a folder job's files: read, decode, mask, verify, write; always one manifest entry per file. */
import { extname, join } from 'node:path';
import { readImagePixels, writeImage } from '@mfr/core/node';
import type { Landmarker } from '../landmarks/types.js';
import { type MaskImageResult, maskImages } from '../mask-image.js';
import type { RgbImage } from '../render/types.js';
import type { MaskSpec } from '../spec.js';
import type { Verifier } from '../verify/verifier.js';
import type { ManifestEntry, ManifestFace } from './manifest-format.js';
import { imageSeed } from './seed.js';

/** Milliseconds per stage of one image. */
export interface StageTimings {
  decode: number;
  detect: number;
  render: number;
  verify: number;
  encode: number;
}

/** Everything a batch worker needs to process images (models already loaded). */
export interface ProcessContext {
  readonly inputDir: string;
  readonly outputDir: string;
  readonly spec: MaskSpec;
  readonly landmarker: Landmarker;
  readonly verifier: Verifier | null;
  readonly faces: 'largest' | 'all';
  readonly seed: number | string;
  readonly saveMasks: boolean;
  /** JPEG / WebP quality of the masked images. */
  readonly quality: number;
}

const KEEP_FORMAT = ['.jpg', '.jpeg', '.png', '.webp'];

/**
 * Where the masked copy of `relativePath` goes: the same relative path; formats sharp cannot write (netpbm,
 * gif, tiff, bmp, avif) become `.png`.
 *
 * @example
 * outputPathFor('s1/1.pgm'); // 's1/1.png'
 */
export function outputPathFor(relativePath: string): string {
  const ext = extname(relativePath);
  return KEEP_FORMAT.includes(ext.toLowerCase()) ? relativePath : `${relativePath.slice(0, -ext.length)}.png`;
}

/** Where the binary mask of `relativePath` goes, relative to the output folder (a hidden `.masks/` tree). */
export function maskPathFor(relativePath: string): string {
  const ext = extname(relativePath);
  return `.masks/${relativePath.slice(0, -ext.length)}.png`;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Decodes a file, or returns the reason it cannot (`Cannot read image "<path>": ` + empty file, unsupported or
 * corrupt image: ..., permission denied, not found, ...; see `failureCategory`).
 *
 * @example
 * const r = await loadPixels('/data/a.jpg'); if ('error' in r) console.log(r.error);
 */
export async function loadPixels(path: string): Promise<RgbImage | { error: string }> {
  try {
    return await readImagePixels(path);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A processed image: its manifest entry and the milliseconds of each stage. */
export interface ProcessedImage {
  readonly entry: ManifestEntry;
  readonly timings: StageTimings;
}

/**
 * Decoded pixels a batch goes through the nets with at most (one image more when a single photo is larger): 16 LFW
 * photos take 1 megapixel, so they stay one batch; photos of several megapixels go a few at a time, which keeps a
 * worker's memory near 3 bytes x this x the copies drawing makes, whatever the photos' size (the nets' inputs are
 * 96-160 px, so large photos gain little from batching anyway).
 */
export const BATCH_PIXEL_BUDGET = 4_000_000;

/**
 * Masks a batch of images of a dataset and writes their outputs atomically: decodes them in order (sharp, on libuv
 * threads) and, each time the decoded ones reach {@link BATCH_PIXEL_BUDGET} pixels or the batch ends, runs the nets
 * on those together (`maskImages`) and writes them. Never throws: each failure becomes that image's `error` entry
 * with the reason.
 *
 * @example
 * const [{ entry }] = await processImages(ctx, ['Aaron_Eckhart/Aaron_Eckhart_0001.jpg']);
 */
export async function processImages(
  ctx: ProcessContext,
  relativePaths: readonly string[],
): Promise<ProcessedImage[]> {
  const processed: ProcessedImage[] = [];
  let group: DecodedFile[] = [];
  let pixels = 0;
  let decodeStart = performance.now();
  for (const path of relativePaths) {
    const image = await loadPixels(join(ctx.inputDir, path));
    group.push({ path, image });
    if (!('error' in image)) pixels += image.width * image.height;
    if (pixels >= BATCH_PIXEL_BUDGET) {
      processed.push(...(await maskAndWrite(ctx, group, performance.now() - decodeStart)));
      group = [];
      pixels = 0;
      decodeStart = performance.now();
    }
  }
  if (group.length > 0) processed.push(...(await maskAndWrite(ctx, group, performance.now() - decodeStart)));
  return processed;
}

interface DecodedFile {
  readonly path: string;
  readonly image: RgbImage | { error: string };
}

// the nets on a group of decoded files together, then their writes side by side
async function maskAndWrite(
  ctx: ProcessContext,
  files: readonly DecodedFile[],
  decodeMs: number,
): Promise<ProcessedImage[]> {
  const start = performance.now();
  const seeds = files.map(({ path }) => imageSeed(ctx.seed, path));
  const decoded = files.flatMap(({ image }, i) => ('error' in image ? [] : [{ i, image }]));
  const results = await maskImages(
    decoded.map((d) => d.image),
    ctx.spec,
    {
      landmarker: ctx.landmarker,
      verifier: ctx.verifier,
      seeds: decoded.map((d) => seeds[d.i]),
      faces: ctx.faces,
    },
  );
  const masked = new Map(decoded.map((d, k) => [d.i, results[k]]));
  const encodeStart = performance.now();
  const processed = await Promise.all(
    files.map(({ path, image }, i) => {
      const timings: StageTimings = {
        decode: decodeMs / files.length,
        detect: 0,
        render: 0,
        verify: 0,
        encode: 0,
      };
      const base = { source: path, spec: ctx.spec, seed: seeds[i] };
      return 'error' in image
        ? failure(base, image.error, start, timings)
        : writeResult(ctx, path, masked.get(i) as MaskImageResult, base, start, timings);
    }),
  );
  // the writes run side by side: each image's share of their wall time, as for decoding
  const encodeMs = (performance.now() - encodeStart) / files.length;
  for (const { timings } of processed) timings.encode = encodeMs;
  return processed;
}

type EntryBase = Pick<ManifestEntry, 'source' | 'spec' | 'seed'>;

function failure(base: EntryBase, reason: string, start: number, timings: StageTimings): ProcessedImage {
  return {
    entry: {
      ...base,
      output: null,
      status: 'error',
      box: null,
      landmarks: null,
      faces: [],
      ms: round2(performance.now() - start),
      reason,
    },
    timings,
  };
}

// one image's outputs (only `masked` images are written) and manifest entry
async function writeResult(
  ctx: ProcessContext,
  relativePath: string,
  result: MaskImageResult,
  base: EntryBase,
  start: number,
  timings: StageTimings,
): Promise<ProcessedImage> {
  timings.detect = result.timings.detect;
  timings.render = result.timings.render;
  timings.verify = result.timings.verify;
  if (result.status === 'error') return failure(base, result.reason ?? 'unknown error', start, timings);

  const faces: ManifestFace[] = result.faces.map((f) => ({
    box: { x: round2(f.box.x), y: round2(f.box.y), width: round2(f.box.width), height: round2(f.box.height) },
    score: round2(f.score * 100) / 100,
    landmarks: f.landmarks68.map(([x, y]) => [round2(x), round2(y)] as [number, number]),
    verified: f.verified,
    verifyScore: round2(f.verifyScore * 100) / 100,
  }));
  let output: string | null = null;
  let mask: string | undefined;
  if (result.status === 'masked' && result.image) {
    output = outputPathFor(relativePath);
    try {
      await writeImage(
        join(ctx.outputDir, output),
        { ...result.image, channels: 3 },
        { quality: ctx.quality },
      );
      if (ctx.saveMasks && result.mask) {
        mask = maskPathFor(relativePath);
        await writeImage(join(ctx.outputDir, mask), { ...result.mask, channels: 1 });
      }
    } catch (error) {
      return failure(base, `cannot write the masked image: ${(error as Error).message}`, start, timings);
    }
  }
  const entry: ManifestEntry = {
    ...base,
    output,
    status: result.status,
    box: faces[0]?.box ?? null,
    landmarks: faces[0]?.landmarks ?? null,
    faces,
    ms: round2(performance.now() - start),
    ...(mask ? { mask } : {}),
    ...(result.reason ? { reason: result.reason } : {}),
  };
  return { entry, timings };
}
