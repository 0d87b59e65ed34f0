/** `manifest.jsonl`: one JSON line per processed image, appended as each finishes; the last line per source wins. */
import { createReadStream } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { BoundingBox, Point2D } from '../landmarks/types.js';
import type { MaskStatus } from '../mask-image.js';
import type { MaskSpec } from '../spec.js';

/** One face in a manifest line. */
export interface ManifestFace {
  readonly box: BoundingBox;
  readonly score: number;
  /** 68 points, rounded to 0.01 px. */
  readonly landmarks: Point2D[];
  readonly verified: boolean | null;
  readonly verifyScore: number;
}

/** One manifest line. Paths are `/`-separated and relative to the input / output folder. */
export interface ManifestEntry {
  /** Input image, relative to the input folder. */
  readonly source: string;
  /** Masked image, relative to the output folder (only for `masked`). */
  readonly output: string | null;
  readonly status: MaskStatus;
  /** Box of the (largest) masked face, or null. */
  readonly box: BoundingBox | null;
  /** Its 68 landmarks, or null. */
  readonly landmarks: Point2D[] | null;
  /** Every masked face (one unless `faces: 'all'`). */
  readonly faces: ManifestFace[];
  readonly spec: MaskSpec;
  /** The per-image seed (see `imageSeed`). */
  readonly seed: number;
  /** Milliseconds spent on this image (decode to write). */
  readonly ms: number;
  /** Binary mask PNG relative to the output folder, when masks are saved. */
  readonly mask?: string;
  /** Why the status is not `masked`. */
  readonly reason?: string;
}

/**
 * Reads a manifest into a map source -> last entry. A missing file gives an empty map; unreadable lines (a line
 * cut short by a crash) are skipped.
 *
 * @example
 * const done = await readManifest('out/masked/manifest.jsonl');
 * done.get('s1/1.png')?.status; // 'masked'
 */
export async function readManifest(path: string): Promise<Map<string, ManifestEntry>> {
  const entries = new Map<string, ManifestEntry>();
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as ManifestEntry;
        if (typeof entry.source === 'string' && typeof entry.status === 'string')
          entries.set(entry.source, entry);
      } catch {
        // a partial last line from an interrupted run: that image is simply redone
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Cannot read manifest "${path}": ${(error as Error).message}`);
    }
  } finally {
    stream.destroy();
  }
  return entries;
}

/**
 * Appends one line. A single `appendFile` of a short line is one write, so lines never interleave.
 *
 * @example
 * await appendManifest('out/manifest.jsonl', entry);
 */
export async function appendManifest(path: string, entry: ManifestEntry): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(entry)}\n`);
}
