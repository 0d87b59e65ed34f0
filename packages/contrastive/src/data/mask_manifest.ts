/**
 * Reader for the manifest the masking batch job writes into its output folder (`manifest.jsonl`): one JSON
 * object per line with at least `source` (input image, relative to the input folder or absolute), `output`
 * (masked image, relative to the manifest's folder or absolute) and `status` ('masked' = usable).
 * Tolerant: blank or malformed lines and other statuses are counted and skipped.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** One usable masked copy. */
export interface MaskedCopy {
  /** The `source` field as written (maybe relative). */
  source: string;
  /** Absolute path of the masked image. */
  output: string;
}

/** What {@link readMaskManifest} found. */
export interface MaskManifest {
  /** Absolute path of the manifest file. */
  path: string;
  /** Usable entries (status 'masked'). */
  masked: MaskedCopy[];
  /** Lines skipped: not JSON, no source/output, or another status. */
  skipped: number;
}

/**
 * Reads `manifest.jsonl` from a masked output folder (or the file itself).
 *
 * @example
 * const manifest = readMaskManifest('.mfr-cache/masked/lfw');
 * manifest.masked[0]; // { source: 'Aaron_Peirsol/Aaron_Peirsol_0001.jpg', output: '/abs/.../Aaron_Peirsol_0001.png' }
 */
export function readMaskManifest(pathOrDir: string): MaskManifest {
  const path = resolve(
    existsSync(pathOrDir) && statSync(pathOrDir).isDirectory()
      ? join(pathOrDir, 'manifest.jsonl')
      : pathOrDir,
  );
  if (!existsSync(path)) {
    throw new Error(
      `Mask manifest not found: ${path}. Run the masking batch job (mfr mask) on the dataset first.`,
    );
  }
  const folder = dirname(path);
  const masked: MaskedCopy[] = [];
  let skipped = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const { source, output, status } = entry;
    if (status !== 'masked' || typeof source !== 'string' || typeof output !== 'string') {
      skipped++;
      continue;
    }
    masked.push({ source, output: isAbsolute(output) ? output : resolve(folder, output) });
  }
  return { path, masked, skipped };
}

/**
 * Maps absolute source image paths to their masked copies, resolving relative sources against each of
 * `inputDirs` (then the manifest's folder) and keeping the first that is one of `knownImages`.
 *
 * @example
 * const masked = matchMaskedCopies(readMaskManifest(dir), ['/data/lfw/images'], new Set(allImagePaths));
 * masked.get('/data/lfw/images/A/A_0001.jpg'); // '/cache/masked/A/A_0001.png'
 */
export function matchMaskedCopies(
  manifest: MaskManifest,
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
