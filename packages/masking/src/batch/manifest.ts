/**
 * `manifest.jsonl`, the record of a masking batch job, and its one reader.
 *
 * The file is append-only: `maskDataset` appends one JSON line per image as each finishes, so an interrupted run
 * loses at most the line being written. An image done again (`retryErrors`, or a masked image whose output went
 * missing) gets a new line; the LAST line per `source` is the image's effective entry. Read the file with
 * {@link readMaskManifest} (or {@link readMaskManifestSync}) so every consumer agrees on that rule.
 */
import { readFileSync, statSync } from 'node:fs';
import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  MANIFEST_NAME,
  type ManifestEntry,
  type MaskManifest,
  parseMaskManifest,
} from './manifest-format.js';

/** Options of {@link readMaskManifest}. */
export interface ReadMaskManifestOptions {
  /** Return an empty manifest instead of throwing when the file does not exist (a first run). Default false. */
  readonly allowMissing?: boolean;
}

/**
 * The manifest file that `pathOrDir` names: the file itself, or `manifest.jsonl` inside the folder.
 *
 * @example
 * manifestFileOf('out/masked'); // '/abs/out/masked/manifest.jsonl'
 * manifestFileOf('out/masked/manifest.jsonl'); // the same
 */
export function manifestFileOf(pathOrDir: string): string {
  const path = resolve(pathOrDir);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    // does not exist: decide from the name
  }
  return isFile || path.endsWith('.jsonl') ? path : join(path, MANIFEST_NAME);
}

function missingManifestError(path: string, folderExists: boolean): Error {
  const folder = dirname(path);
  const where = folderExists ? `"${folder}" has no ${MANIFEST_NAME}` : `folder "${folder}" does not exist`;
  return new Error(
    `Mask manifest not found: ${where}; run the masking job first (mfr mask <input-dir> ${folder}) or pass ` +
      'the folder it wrote.',
  );
}

function emptyManifest(path: string): MaskManifest {
  return { path, folder: dirname(path), entries: new Map(), lineCount: 0, tornTail: false };
}

// a failed read: an empty manifest when a missing one is allowed, else a thrown Error saying what to do
function onReadError(path: string, error: unknown, options: ReadMaskManifestOptions): MaskManifest {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    if (options.allowMissing) return emptyManifest(path);
    let folderExists = false;
    try {
      folderExists = statSync(dirname(path)).isDirectory();
    } catch {
      // the folder is missing too
    }
    throw missingManifestError(path, folderExists);
  }
  throw new Error(
    `Cannot read mask manifest "${path}": ${(error as Error).message}. Check that it is a readable file.`,
  );
}

/**
 * Reads a masking manifest: `pathOrDir` is the output folder of `mfr mask` / `maskDataset` or the manifest file.
 * The last line per source is each image's effective entry (see {@link parseMaskManifest}). Throws an Error naming
 * the file and line on a malformed line, and one that says to run `mfr mask` first when the manifest is missing
 * (unless `allowMissing`).
 *
 * @example
 * const { entries, folder } = await readMaskManifest('out/att-masked');
 * const masked = [...entries.values()].filter((e) => e.status === 'masked');
 * join(folder, masked[0].output ?? ''); // the masked copy
 */
export async function readMaskManifest(
  pathOrDir: string,
  options: ReadMaskManifestOptions = {},
): Promise<MaskManifest> {
  const path = manifestFileOf(pathOrDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return onReadError(path, error, options);
  }
  return parseMaskManifest(text, path);
}

/**
 * {@link readMaskManifest} for synchronous callers; the same rules and errors.
 *
 * @example
 * const { entries } = readMaskManifestSync('out/att-masked/manifest.jsonl');
 */
export function readMaskManifestSync(pathOrDir: string, options: ReadMaskManifestOptions = {}): MaskManifest {
  const path = manifestFileOf(pathOrDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return onReadError(path, error, options);
  }
  return parseMaskManifest(text, path);
}

/**
 * Cuts a partial last line (left by a crash mid-write) off a manifest, so that the next appended line starts on a
 * line of its own. Returns whether anything was cut.
 *
 * @example
 * if ((await readMaskManifest(dir, { allowMissing: true })).tornTail) await dropTornTail(join(dir, MANIFEST_NAME));
 */
export async function dropTornTail(path: string): Promise<boolean> {
  const bytes = await readFile(path);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return false;
  await truncate(path, bytes.lastIndexOf(0x0a) + 1);
  return true;
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
