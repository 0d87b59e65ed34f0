/**
 * Synthetic masking of probe images with @mfr/masking's `renderMask`, used when the masking package offers no
 * batch `maskDataset`: face-api landmarks on the unmasked image -> mask drawn -> JPEG written -> verified by
 * re-detecting a face on the masked image. Writes the same layout as `maskDataset` (mirrored folder plus
 * `manifest.jsonl` with a per-image `status`: 'masked', 'no-face', 'verify-failed', 'error'), appends as it
 * goes, and skips images already in the manifest, so a rerun resumes.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pixelsToTensor, readImagePixels, writeImage } from '@mfr/core';
import { renderMask } from '@mfr/masking';
import { createFaceAnalyzer } from '../models/face-analysis.js';
import { readManifestStatuses } from './probes.js';

/** Options of {@link maskImagesDirect}. */
export interface DirectMaskingOptions {
  /** Mask description passed to renderMask. */
  spec: Record<string, unknown>;
  /** Base seed; each image's seed is derived from its relative path. */
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Masks `files` (paths relative to `inputDir`) into `outputDir` and returns each file's status.
 *
 * @example
 * const statuses = await maskImagesDirect('/data/lfw', '.mfr-cache/masked/lfw-x/output', ['A/A_0001.jpg'], { spec: {} });
 */
export async function maskImagesDirect(
  inputDir: string,
  outputDir: string,
  files: readonly string[],
  options: DirectMaskingOptions,
): Promise<Map<string, string>> {
  const manifest = join(outputDir, 'manifest.jsonl');
  const statuses = await readManifestStatuses(manifest);
  const todo = files.filter((f) => !statuses.has(f));
  if (todo.length === 0) return statuses;
  mkdirSync(outputDir, { recursive: true });
  const analyzer = await createFaceAnalyzer();
  let done = files.length - todo.length;
  for (const rel of todo) {
    let status: string;
    let detail: string | undefined;
    try {
      const pixels = await readImagePixels(join(inputDir, rel));
      const image = pixelsToTensor(pixels);
      let face: Awaited<ReturnType<typeof analyzer.analyze>>;
      try {
        face = await analyzer.analyze(image, 1);
      } finally {
        image.dispose();
      }
      if (face.status !== 'face' || !face.landmarks68) {
        status = 'no-face';
      } else {
        const { image: masked } = renderMask(pixels, face.landmarks68, options.spec as never, {
          seed: `${options.seed ?? 1}:${rel}`,
        });
        const target = join(outputDir, rel.replace(/\.[^./]+$/, '') + extensionFor(rel));
        const maskedTensor = pixelsToTensor({ ...masked, channels: 3 });
        try {
          await writeImage(target, maskedTensor, { quality: 95 });
          const again = await analyzer.analyze(maskedTensor, 1);
          status = again.status === 'face' ? 'masked' : 'verify-failed';
        } finally {
          maskedTensor.dispose();
        }
      }
    } catch (error) {
      status = 'error';
      detail = (error as Error).message.split('\n')[0];
    }
    statuses.set(rel, status);
    appendFileSync(manifest, `${JSON.stringify({ path: rel, status, ...(detail ? { error: detail } : {}) })}\n`);
    options.onProgress?.(++done, files.length);
  }
  return statuses;
}

/** Masked copies keep the file name; formats we cannot write (PGM, BMP) become PNG. */
export function extensionFor(rel: string): string {
  const ext = rel.slice(rel.lastIndexOf('.')).toLowerCase();
  return ['.jpg', '.jpeg', '.png', '.webp'].includes(ext) ? ext : '.png';
}

/** The masked copy of `rel` inside `outputDir`. */
export function maskedPathFor(outputDir: string, rel: string): string {
  return join(outputDir, rel.replace(/\.[^./]+$/, '') + extensionFor(rel));
}

