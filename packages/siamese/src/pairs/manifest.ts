/** Reads the `manifest.jsonl` that @mfr/masking's `maskDataset` writes next to a masked copy of a dataset. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

/** One manifest line: an unmasked source image and what the masking job made of it. */
export interface ManifestEntry {
  /** Unmasked source image (absolute, or as written in the manifest resolved against the unmasked dir). */
  source: string;
  /** Masked output image (resolved against the masked dir when relative). */
  output: string;
  /** 'masked' means usable as a probe; anything else ('no-face', 'error', ...) is not. */
  status: string;
  /** 68-point landmarks of the source face when the manifest records them (`landmarks` or `landmarks68`). */
  landmarks68?: [number, number][];
  /** The rest of the line, untouched. */
  raw: Record<string, unknown>;
}

/** Options for {@link readMaskManifest}. */
export interface ReadManifestOptions {
  /** Directory that relative `source` paths are relative to. Default: the manifest's own directory. */
  sourceRoot?: string;
}

function pickLandmarks(raw: Record<string, unknown>): [number, number][] | undefined {
  // @mfr/masking writes `landmarks` (68 points of the masked face, found on the unmasked source)
  const candidate = raw.landmarks68 ?? raw.landmarks;
  if (!Array.isArray(candidate) || candidate.length !== 68) return undefined;
  const ok = candidate.every(
    (p) => Array.isArray(p) && p.length >= 2 && p.every((v) => typeof v === 'number'),
  );
  return ok ? (candidate as [number, number][]).map(([x, y]) => [x, y]) : undefined;
}

/**
 * Reads `<maskedDir>/manifest.jsonl`. The last line per source wins (a resumed job appends).
 * Relative `output` paths resolve against `maskedDir`, relative `source` paths against `sourceRoot`.
 * Errors name the file and line.
 *
 * @example
 * const entries = await readMaskManifest('.mfr-cache/masked/lfw', { sourceRoot: '../shared/datasets/lfw/images' });
 * const probes = entries.filter((e) => e.status === 'masked');
 */
export async function readMaskManifest(
  maskedDir: string,
  options: ReadManifestOptions = {},
): Promise<ManifestEntry[]> {
  const file = join(maskedDir, 'manifest.jsonl');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `readMaskManifest: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
        'run the masking job (mfr mask / maskDataset) on the unmasked dataset first',
    );
  }
  const sourceRoot = options.sourceRoot ?? maskedDir;
  const bySource = new Map<string, ManifestEntry>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line);
    } catch {
      // a job killed mid-write can leave a partial last line: skip it, fail on any other
      if (i >= lines.length - 2) continue;
      throw new Error(`readMaskManifest: ${file}:${i + 1} is not valid JSON`);
    }
    const { source, output, status } = raw as { source?: unknown; output?: unknown; status?: unknown };
    if (typeof source !== 'string' || typeof status !== 'string') {
      throw new Error(`readMaskManifest: ${file}:${i + 1} lacks a string "source" or "status"`);
    }
    const out = typeof output === 'string' ? output : '';
    const entry: ManifestEntry = {
      source: isAbsolute(source) ? source : join(sourceRoot, source),
      output: out === '' || isAbsolute(out) ? out : join(maskedDir, out),
      status,
      raw,
    };
    const lm = pickLandmarks(raw);
    if (lm) entry.landmarks68 = lm;
    bySource.set(entry.source, entry);
  }
  return [...bySource.values()];
}
