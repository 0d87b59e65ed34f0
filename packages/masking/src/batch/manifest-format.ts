/**
 * The masking manifest's format (one JSON object a line, `manifest.jsonl` in the output folder) and its one
 * parser, without files: pages and Node share it. Reading it from disk is in manifest.ts.
 */
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
 * other malformed line throws an Error naming `file` and the line number. `path` is `file` as given (the Node
 * reader passes an absolute path) and `folder` the part before its last `/`.
 *
 * @example
 * const m = parseMaskManifest('{"source":"a.jpg","status":"error"}\n{"source":"a.jpg","status":"masked","output":"a.jpg"}\n', 'm.jsonl');
 * m.entries.get('a.jpg')?.status; // 'masked'
 * m.lineCount; // 2
 */
export function parseMaskManifest(text: string, file: string): MaskManifest {
  const path = file;
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
  return { path, folder: path.replace(/[\\/][^\\/]*$/, '') || '.', entries, lineCount, tornTail };
}
