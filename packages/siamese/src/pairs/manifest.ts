/** Pair-sampling view of the `manifest.jsonl` that @mfr/masking's `maskDataset` writes (read by @mfr/masking). */
import { isAbsolute, join } from 'node:path';
import { readMaskManifest as readManifestFile } from '@mfr/masking/node';

/** One manifest line: an unmasked source image and what the masking job made of it. */
export interface ManifestProbe {
  /** Unmasked source image (absolute, or as written in the manifest resolved against the unmasked dir). */
  source: string;
  /** Masked output image (resolved against the masked dir when relative). */
  output: string;
  /** 'masked' means usable as a probe; anything else ('no-face', 'error', ...) is not. */
  status: string;
  /** 68-point landmarks of the source face when the manifest records them (its `landmarks`). */
  landmarks68?: [number, number][];
  /** The rest of the line, untouched. */
  raw: Record<string, unknown>;
}

/** Options for {@link readManifestProbes}. */
export interface ReadManifestProbesOptions {
  /** Directory that relative `source` paths are relative to. Default: the manifest's own directory. */
  sourceRoot?: string;
}

// the 68 landmarks @mfr/masking records for the masked face (found on the unmasked source), when well-formed
function pickLandmarks(landmarks: unknown): [number, number][] | undefined {
  if (!Array.isArray(landmarks) || landmarks.length !== 68) return undefined;
  const ok = landmarks.every(
    (p) => Array.isArray(p) && p.length >= 2 && p.every((v) => typeof v === 'number'),
  );
  return ok ? (landmarks as [number, number][]).map(([x, y]) => [x, y]) : undefined;
}

/**
 * Reads `<maskedDir>/manifest.jsonl` (or the manifest file itself) with @mfr/masking's `readManifestProbes`: the
 * last line per source wins (a resumed or retried job appends). Relative `output` paths resolve against the
 * manifest's folder, relative `source` paths against `sourceRoot`. Throws naming the file and line on a malformed
 * line, and saying to run `mfr mask` first when the manifest is missing.
 *
 * @example
 * const entries = await readManifestProbes('.mfr-cache/masked/lfw', { sourceRoot: '../shared/datasets/lfw/images' });
 * const probes = entries.filter((e) => e.status === 'masked');
 */
export async function readManifestProbes(
  maskedDir: string,
  options: ReadManifestProbesOptions = {},
): Promise<ManifestProbe[]> {
  const manifest = await readManifestFile(maskedDir);
  const sourceRoot = options.sourceRoot ?? maskedDir;
  return [...manifest.entries.values()].map((record) => {
    const out = record.output ?? '';
    const entry: ManifestProbe = {
      source: isAbsolute(record.source) ? record.source : join(sourceRoot, record.source),
      output: out === '' || isAbsolute(out) ? out : join(manifest.folder, out),
      status: record.status,
      raw: record as unknown as Record<string, unknown>,
    };
    const lm = pickLandmarks(record.landmarks);
    if (lm) entry.landmarks68 = lm;
    return entry;
  });
}
