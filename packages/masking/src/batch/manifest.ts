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
import type { BoundingBox, Point2D } from '../landmarks/types.js';
import { MASK_STATUSES, type MaskStatus } from '../mask-image.js';
import type { MaskSpec } from '../spec.js';

/** The manifest file name inside the output folder. */
export const MANIFEST_NAME = 'manifest.jsonl';

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
 * A manifest line as read back: `source`, `status`, `output` and `reason` are checked; the other fields are as
 * written (lines written by other tools or older versions may lack them).
 */
export type ManifestRecord = Pick<ManifestEntry, 'source' | 'status'> &
  Partial<Omit<ManifestEntry, 'source' | 'status'>>;

/** What {@link readMaskManifest} returns. */
export interface MaskManifest {
  /** Absolute path of the manifest file. */
  readonly path: string;
  /** Its folder: the output folder that relative `output` and `mask` paths start from. */
  readonly folder: string;
  /** The effective entry of every image: the last line per `source`, in order of first appearance. */
  readonly entries: ReadonlyMap<string, ManifestRecord>;
  /** Lines read, superseded ones included (more than `entries.size` after retries). */
  readonly lineCount: number;
  /** True when the file ended in a partial line (a write cut short by a crash); it was ignored. */
  readonly tornTail: boolean;
}

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

const snippet = (line: string) => (line.length > 80 ? `${line.slice(0, 77)}...` : line);

/** The Error of a malformed manifest line: names the file, the line and the fix (shared by the readers). */
export function lineError(file: string, lineNo: number, problem: string): Error {
  return new Error(
    `Mask manifest "${file}" line ${lineNo} ${problem}. Fix or delete that line: a rerun of mfr mask redoes ` +
      'the images the manifest does not list.',
  );
}

/**
 * Checks one parsed manifest line and returns it as a record, or throws naming the file, the line and the problem.
 *
 * @example
 * validateManifestLine({ source: 'a/1.jpg', status: 'masked', output: 'a/1.jpg' }, 'out/manifest.jsonl', 1);
 */
export function validateManifestLine(value: unknown, file: string, lineNo: number): ManifestRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw lineError(file, lineNo, 'is not a JSON object');
  const line = value as Record<string, unknown>;
  if (typeof line.source !== 'string' || line.source === '')
    throw lineError(file, lineNo, 'has no "source" (the input image path, relative to the input folder)');
  if (!MASK_STATUSES.includes(line.status as MaskStatus))
    throw lineError(
      file,
      lineNo,
      `has status ${JSON.stringify(line.status)}; expected one of ${MASK_STATUSES.join(', ')}`,
    );
  if (line.output !== undefined && line.output !== null && typeof line.output !== 'string')
    throw lineError(file, lineNo, `has an "output" that is not a path: ${JSON.stringify(line.output)}`);
  if (line.reason !== undefined && typeof line.reason !== 'string')
    throw lineError(file, lineNo, `has a "reason" that is not text: ${JSON.stringify(line.reason)}`);
  return line as unknown as ManifestRecord;
}

/**
 * Parses the text of a manifest: the last line per source wins; blank lines are skipped; a partial last line (no
 * newline after it and not valid JSON: a write cut short by a crash) is ignored and flagged as `tornTail`. Any
 * other malformed line throws an Error naming `file` and the line number.
 *
 * @example
 * const m = parseMaskManifest('{"source":"a.jpg","status":"error"}\n{"source":"a.jpg","status":"masked","output":"a.jpg"}\n', 'm.jsonl');
 * m.entries.get('a.jpg')?.status; // 'masked'
 * m.lineCount; // 2
 */
export function parseMaskManifest(text: string, file: string): MaskManifest {
  const path = resolve(file);
  const entries = new Map<string, ManifestRecord>();
  const lines = text.split('\n');
  // text ending in "\n" splits into a last empty piece; anything else there is a line without its newline
  const tail = lines.length - 1;
  let lineCount = 0;
  let tornTail = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (i === tail) {
        tornTail = true;
        continue;
      }
      throw lineError(path, i + 1, `is not valid JSON: ${snippet(line)}`);
    }
    const record = validateManifestLine(value, path, i + 1);
    entries.set(record.source, record);
    lineCount++;
  }
  return { path, folder: dirname(path), entries, lineCount, tornTail };
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
