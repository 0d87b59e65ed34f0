/**
 * A streaming reader of `manifest.jsonl` for files too large to hold in memory (millions of images: a line is
 * ~2.5 KB, a parsed entry ~10 KB of heap), with the rules of `readMaskManifest`: every line is checked by
 * `validateManifestLine`, a partial last line (a write cut short by a crash) is ignored, any other malformed line
 * throws naming the file and line. With a shard, lines of other shards are skipped without being parsed.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { inShard, type Shard } from '@mfr/core';
import { lineError, type ManifestRecord, validateManifestLine } from './manifest-format.js';

// JSON.stringify of a ManifestEntry puts `source` first: its value can be read without parsing the whole line
const SOURCE_FIRST = /^\{"source":("(?:[^"\\]|\\.)*")/;

function quickSource(line: string): string | null {
  const match = SOURCE_FIRST.exec(line);
  if (!match) return null;
  try {
    return JSON.parse(match[1]) as string;
  } catch {
    return null;
  }
}

/** Options of {@link streamMaskManifest}. */
export interface StreamMaskManifestOptions {
  /** Only the records of this shard (by `source`). Default: all. */
  readonly shard?: Shard | null;
  /** A missing file is an empty manifest instead of an error. Default false. */
  readonly allowMissing?: boolean;
}

/** Whether the file ends in a newline (false for an empty or missing file). */
async function endsWithNewline(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, size - 1);
    return byte[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

/**
 * Calls `onRecord` for every line of a manifest file in file order (so the last call per source is its effective
 * entry), holding one line at a time (a promise it returns is awaited before the next line). Returns the number of records passed on and whether a torn last line was
 * skipped.
 *
 * @example
 * const latest = new Map();
 * await streamMaskManifest('out/manifest.jsonl', (r) => latest.set(r.source, r), { shard: { index: 3, count: 64 } });
 */
export async function streamMaskManifest(
  path: string,
  onRecord: (record: ManifestRecord) => void | Promise<void>,
  options: StreamMaskManifestOptions = {},
): Promise<{ records: number; tornTail: boolean }> {
  let newlineAtEnd: boolean;
  try {
    newlineAtEnd = await endsWithNewline(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.allowMissing && (code === 'ENOENT' || code === 'ENOTDIR'))
      return { records: 0, tornTail: false };
    throw new Error(
      `Cannot read mask manifest "${path}": ${(error as Error).message}. Check that it is a readable file.`,
    );
  }
  const shard = options.shard ?? null;
  let records = 0;
  let tornTail = false;
  const handle = async (line: string, lineNo: number, last: boolean): Promise<void> => {
    const text = line.trim();
    if (!text) return;
    if (shard) {
      const source = quickSource(text);
      if (source !== null && !inShard(source, shard)) return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (last && !newlineAtEnd) {
        tornTail = true;
        return;
      }
      throw lineError(
        path,
        lineNo,
        `is not valid JSON: ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`,
      );
    }
    const record = validateManifestLine(value, path, lineNo);
    if (!inShard(record.source, shard)) return;
    records++;
    await onRecord(record);
  };
  // chunks are pulled one at a time (readline's iterator would queue the whole file while a slow consumer waits)
  let rest = '';
  let lineNo = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) await handle(line, ++lineNo, false);
  }
  // text after the last newline: a line whose newline was never written (a torn one when it is not JSON)
  if (rest !== '') await handle(rest, ++lineNo, true);
  return { records, tornTail };
}
