/**
 * The pre-training view of the manifest the masking batch job writes into its output folder (`manifest.jsonl`),
 * read by @mfr/masking's `readMaskManifestSync`: each image's effective entry is its last line (`source`, input
 * image relative to the input folder or absolute; `output`, masked image relative to the manifest's folder or
 * absolute; `status`, 'masked' = usable). A malformed line or a missing manifest is an error, never skipped.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { readMaskManifestSync } from '@mfr/masking/node';

/** One usable masked copy. */
export interface MaskedCopy {
  /** The `source` field as written (maybe relative). */
  source: string;
  /** Absolute path of the masked image. */
  output: string;
}

/** What {@link readMaskedCopies} found. */
export interface MaskedCopies {
  /** Absolute path of the manifest file. */
  path: string;
  /** Usable entries (status 'masked' with an output). */
  masked: MaskedCopy[];
  /** Images not usable: another status ('no-face', 'not-verified', 'error'). */
  skipped: number;
}

/**
 * Reads `manifest.jsonl` from a masked output folder (or the file itself). Throws naming the file and line on a
 * malformed line, and saying to run `mfr mask` first when the manifest is missing.
 *
 * @example
 * const manifest = readMaskedCopies('.mfr-cache/masked/lfw');
 * manifest.masked[0]; // { source: 'Aaron_Peirsol/Aaron_Peirsol_0001.jpg', output: '/abs/.../Aaron_Peirsol_0001.png' }
 */
export function readMaskedCopies(pathOrDir: string): MaskedCopies {
  const manifest = readMaskManifestSync(pathOrDir);
  const masked: MaskedCopy[] = [];
  let skipped = 0;
  for (const { source, output, status } of manifest.entries.values()) {
    if (status !== 'masked' || !output) {
      skipped++;
      continue;
    }
    masked.push({ source, output: isAbsolute(output) ? output : resolve(manifest.folder, output) });
  }
  return { path: manifest.path, masked, skipped };
}

/**
 * Maps absolute source image paths to their masked copies, resolving relative sources against each of
 * `inputDirs` (then the manifest's folder) and keeping the first that is one of `knownImages`.
 *
 * @example
 * const masked = matchMaskedCopies(readMaskedCopies(dir), ['/data/lfw/images'], new Set(allImagePaths));
 * masked.get('/data/lfw/images/A/A_0001.jpg'); // '/cache/masked/A/A_0001.png'
 */
export function matchMaskedCopies(
  manifest: MaskedCopies,
  inputDirs: readonly string[],
  knownImages: ReadonlySet<string>,
): Map<string, string> {
  const matched = new Map<string, string>();
  const folder = dirname(manifest.path);
  for (const { source, output } of manifest.masked) {
    const candidates = isAbsolute(source)
      ? [resolve(source)]
      : [...inputDirs.map((dir) => resolve(dir, source)), resolve(folder, source)];
    const hit = candidates.find((candidate) => knownImages.has(candidate));
    if (hit) matched.set(hit, output);
  }
  return matched;
}
