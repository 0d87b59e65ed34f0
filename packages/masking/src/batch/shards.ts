/**
 * Sharded masking runs and their merge. A run with `shard: { index, count }` masks only the images whose relative
 * path hashes to its shard (see `shardOf` in @mfr/core) and writes only its own files: the masked images of its
 * shard, and its manifest lines in `<output>/.shards/<i>-of-<n>/manifest.<attempt>.jsonl`, one file per attempt
 * (so a shard started twice at once, e.g. a speculative retry on another node, never appends to a file another
 * process appends to), plus `done.json` when it finished. Nothing is shared between machines but the output
 * folder, so any shared file system or object-store mount works.
 *
 * {@link mergeMaskShards} (`mfr merge`) joins the shard manifests into `<output>/manifest.jsonl`: one line per
 * image, sorted by source, the same entries a single-machine run gives. A later run without a shard folds any
 * shard manifests in first, so it resumes from everything the shards did.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { formatShard, inShard, type Shard, shardOf, shardSlug } from '@mfr/core';
import { tempPathFor, writeFilesAtomic } from '@mfr/core/node';
import { MANIFEST_NAME, type ManifestRecord } from './manifest-format.js';
import { streamMaskManifest } from './manifest-stream.js';
import { removeStaleTempFiles } from './stale-temps.js';
import { walkImages } from './walk.js';

/** The hidden folder of an output tree that holds the shards' manifests (hidden: dataset readers skip it). */
export const SHARDS_FOLDER = '.shards';

/** What a shard writes when it has finished (`<output>/.shards/<i>-of-<n>/done.json`). */
export interface ShardDone {
  /** `i/n`. */
  readonly shard: string;
  /** Images of this shard (each has a manifest line, from this run or an earlier one). */
  readonly images: number;
  /** Host name and process id of the attempt that finished. */
  readonly host: string;
  readonly pid: number;
  readonly finishedAt: string;
}

/**
 * The folder of one shard's manifests in an output tree.
 *
 * @example
 * shardFolder('out/masked', { index: 2, count: 8 }); // 'out/masked/.shards/2-of-8'
 */
export function shardFolder(outputDir: string, shard: Shard): string {
  return join(outputDir, SHARDS_FOLDER, shardSlug(shard));
}

/**
 * A new manifest file for one attempt of a shard: unique per host, process and start, so two attempts of one
 * shard never append to the same file.
 *
 * @example
 * attemptManifestPath('out', { index: 0, count: 4 }); // 'out/.shards/0-of-4/manifest.node7-4711-9f3a2c.jsonl'
 */
export function attemptManifestPath(outputDir: string, shard: Shard): string {
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '_');
  return join(
    shardFolder(outputDir, shard),
    `manifest.${host}-${process.pid}-${randomBytes(3).toString('hex')}.jsonl`,
  );
}

/**
 * Which of two manifest records of one image to keep when several runs recorded it: a finished status (masked,
 * no-face, not-verified) beats an `error` (a speculative twin may have hit a transient failure); otherwise the later
 * one wins, as within one manifest.
 *
 * @example
 * preferRecord({ source: 'a.jpg', status: 'masked' }, { source: 'a.jpg', status: 'error' }).status; // 'masked'
 */
export function preferRecord(earlier: ManifestRecord | undefined, later: ManifestRecord): ManifestRecord {
  return earlier && earlier.status !== 'error' && later.status === 'error' ? earlier : later;
}

/** The `i-of-n` shard folders present in an output tree (any count), sorted by count then index. */
export async function listShardFolders(outputDir: string): Promise<Shard[]> {
  const root = join(outputDir, SHARDS_FOLDER);
  if (!existsSync(root)) return [];
  const shards: Shard[] = [];
  for (const name of await readdir(root)) {
    const match = /^(\d+)-of-(\d+)$/.exec(name);
    if (match) shards.push({ index: Number(match[1]), count: Number(match[2]) });
  }
  return shards.sort((a, b) => a.count - b.count || a.index - b.index);
}

/**
 * Every manifest record one shard's attempts wrote, joined with {@link preferRecord} into `into` (a torn last line
 * of an attempt that was killed mid-write is ignored). Returns the number of attempt files read.
 */
export async function readShardRecords(
  outputDir: string,
  shard: Shard,
  into: Map<string, ManifestRecord>,
): Promise<number> {
  const folder = shardFolder(outputDir, shard);
  if (!existsSync(folder)) return 0;
  const files = (await readdir(folder))
    .filter((n) => n.startsWith('manifest.') && n.endsWith('.jsonl'))
    .sort();
  for (const name of files) {
    await streamMaskManifest(join(folder, name), (record) => {
      into.set(record.source, preferRecord(into.get(record.source), record));
    });
  }
  return files.length;
}

/**
 * What a shard starts from: the entries of its own images in `<output>/manifest.jsonl` (earlier single runs and
 * merges; read streaming, other shards' lines skipped unparsed, so memory holds one shard), joined with those of
 * the shard's own attempt files. Never writes anything.
 *
 * @example
 * const previous = await readShardStart('out/masked', { index: 1, count: 4 });
 */
export async function readShardStart(outputDir: string, shard: Shard): Promise<Map<string, ManifestRecord>> {
  const merged = new Map<string, ManifestRecord>();
  await streamMaskManifest(
    join(outputDir, MANIFEST_NAME),
    (record) => void merged.set(record.source, record),
    {
      shard,
      allowMissing: true,
    },
  );
  await readShardRecords(outputDir, shard, merged);
  return merged;
}

/**
 * Counts the images of `shard` among the first `limit` images `walkImages` yields (a names-only pass).
 *
 * @example
 * await countShardImages('../shared/datasets/att', { shard: { index: 0, count: 4 } }); // about 100
 */
export async function countShardImages(
  root: string,
  options: { exclude?: readonly string[]; limit?: number; shard: Shard | null },
): Promise<number> {
  let seen = 0;
  let n = 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  for await (const rel of walkImages(root, { exclude: options.exclude })) {
    if (seen++ >= limit) break;
    if (inShard(rel, options.shard)) n++;
  }
  return n;
}

/** Writes `done.json` of a finished shard (atomically). */
export async function writeShardDone(outputDir: string, shard: Shard, images: number): Promise<void> {
  const done: ShardDone = {
    shard: formatShard(shard),
    images,
    host: hostname(),
    pid: process.pid,
    finishedAt: new Date().toISOString(),
  };
  await writeFilesAtomic([[join(shardFolder(outputDir, shard), 'done.json'), `${JSON.stringify(done)}\n`]]);
}

async function readShardDone(outputDir: string, shard: Shard): Promise<ShardDone | null> {
  try {
    return JSON.parse(await readFile(join(shardFolder(outputDir, shard), 'done.json'), 'utf8')) as ShardDone;
  } catch {
    return null;
  }
}

/** Options of {@link mergeMaskShards}. */
export interface MergeMaskShardsOptions {
  /**
   * Require every shard `0..n-1` to have finished (`done.json`) and to list all its images. Default true (`mfr
   * merge`). A plain (unsharded) run folds in what there is with `false`, then masks the rest itself.
   */
  readonly requireComplete?: boolean;
}

/** What {@link mergeMaskShards} did. */
export interface MergeMaskShardsResult {
  readonly manifestPath: string;
  /** Shards merged (0 when there was nothing to merge). */
  readonly shards: number;
  /** Attempt manifests read (more than `shards` when shards were retried). */
  readonly attempts: number;
  /** Images in the merged manifest (one line each). */
  readonly images: number;
  /** Images per status in the merged manifest. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Temp files of killed shard attempts removed from the output tree. */
  readonly staleTempFiles: string[];
}

const sourceOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Joins the shard manifests of a masking output folder into `<output>/manifest.jsonl` (written atomically, one line
 * per image, sorted by source; earlier lines of that file are kept as the starting point), removes temp files
 * left by killed attempts, then deletes `.shards/`. Safe to run again after a crash. With `requireComplete`
 * (default) it throws, naming the missing shards and the command that finishes them, unless all `n` shards of one
 * count have finished and every one lists as many images as it counted.
 *
 * @example
 * // after `mfr mask in out --shard i/4` for i = 0..3, on any machines sharing `out`:
 * const r = await mergeMaskShards('out'); // { shards: 4, images: 1234, ... }
 */
export async function mergeMaskShards(
  outputDir: string,
  options: MergeMaskShardsOptions = {},
): Promise<MergeMaskShardsResult> {
  const requireComplete = options.requireComplete ?? true;
  const manifestPath = join(outputDir, MANIFEST_NAME);
  const shards = await listShardFolders(outputDir);
  const counts = [...new Set(shards.map((s) => s.count))];
  if (counts.length > 1)
    throw new Error(
      `mergeMaskShards: "${outputDir}" holds shards of ${counts.join(' and ')}-way runs (${SHARDS_FOLDER}/` +
        `${shards.map(shardSlug).join(', ')}); finish the shards of one run, delete the other ${SHARDS_FOLDER}/*-of-N ` +
        'folders, and merge again',
    );
  const count = counts[0] ?? 0;
  if (count === 0) {
    const statuses: Record<string, number> = {};
    const sources = new Set<string>();
    await streamMaskManifest(manifestPath, (r) => void sources.add(r.source), { allowMissing: true });
    return { manifestPath, shards: 0, attempts: 0, images: sources.size, statuses, staleTempFiles: [] };
  }
  const problems: string[] = [];
  if (requireComplete) {
    for (let index = 0; index < count; index++) {
      const shard = { index, count };
      if (!(await readShardDone(outputDir, shard)))
        problems.push(
          `shard ${formatShard(shard)} has not finished (no ${SHARDS_FOLDER}/${shardSlug(shard)}/done.json)`,
        );
    }
  }
  const work = join(outputDir, `${SHARDS_FOLDER}.merging.${process.pid}.${randomBytes(3).toString('hex')}`);
  const temp = tempPathFor(manifestPath);
  let attempts = 0;
  let images = 0;
  const statuses: Record<string, number> = {};
  try {
    // one pass splits the existing manifest by shard, so memory holds one shard at a time, never the whole set
    const parts = await partitionManifest(manifestPath, work, count);
    const out = createWriteStream(temp);
    for (let index = 0; index < count && problems.length === 0; index++) {
      const shard = { index, count };
      const records = new Map<string, ManifestRecord>();
      const part = parts[index];
      if (part) await streamMaskManifest(part, (r) => void records.set(r.source, r));
      attempts += await readShardRecords(outputDir, shard, records);
      const done = requireComplete ? await readShardDone(outputDir, shard) : null;
      if (done && records.size < done.images) {
        problems.push(
          `shard ${formatShard(shard)} counted ${done.images} images but its manifests list ${records.size}`,
        );
        break;
      }
      const sorted = [...records.values()].sort((a, b) => sourceOrder(a.source, b.source));
      for (const record of sorted) {
        statuses[record.status] = (statuses[record.status] ?? 0) + 1;
        await write(out, `${JSON.stringify(record)}\n`);
      }
      images += sorted.length;
    }
    out.end();
    await once(out, 'close');
    if (problems.length > 0)
      throw new Error(
        `mergeMaskShards: "${outputDir}" is not complete: ${problems.join('; ')}. Rerun those shards (mfr mask ` +
          '<input-dir> <output-dir> --shard i/n, same options; each resumes from its own manifest), or run mfr mask ' +
          'once without --shard to finish the rest on one machine, then merge again.',
      );
    await rename(temp, manifestPath);
  } finally {
    await rm(temp, { force: true });
    await rm(work, { recursive: true, force: true });
  }
  // every shard has finished: what is left of temp files was left by killed attempts
  const staleTempFiles = await removeStaleTempFiles(outputDir);
  // rename first, so a crash mid-delete never leaves a half-deleted shard folder that looks unfinished
  const trash = join(outputDir, `${SHARDS_FOLDER}.merged.${process.pid}.${randomBytes(3).toString('hex')}`);
  await rename(join(outputDir, SHARDS_FOLDER), trash);
  await rm(trash, { recursive: true, force: true });
  return { manifestPath, shards: count, attempts, images, statuses, staleTempFiles };
}

/** Writes a chunk, waiting when the stream's buffer is full. */
async function write(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/**
 * Splits a manifest into one file per shard under `folder` (each line to the shard of its source, in file order,
 * so the last line per source still wins) and returns their paths by shard index (undefined: no lines). A missing
 * manifest gives none.
 */
async function partitionManifest(
  manifestPath: string,
  folder: string,
  count: number,
): Promise<(string | undefined)[]> {
  const streams = new Map<number, WriteStream>();
  const paths: (string | undefined)[] = new Array(count).fill(undefined);
  const pending: Promise<void>[] = [];
  await mkdir(folder, { recursive: true });
  await streamMaskManifest(
    manifestPath,
    (record) => {
      const index = shardOf(record.source, count);
      let stream = streams.get(index);
      if (!stream) {
        paths[index] = join(folder, `${index}.jsonl`);
        stream = createWriteStream(paths[index] as string);
        streams.set(index, stream);
      }
      return write(stream, `${JSON.stringify(record)}\n`);
    },
    { allowMissing: true },
  );
  for (const stream of streams.values()) {
    stream.end();
    pending.push(once(stream, 'close').then(() => undefined));
  }
  await Promise.all(pending);
  return paths;
}

/** Creates the shard folder (so `mfr merge` sees a started shard even before its first image is done). */
export async function startShardFolder(outputDir: string, shard: Shard): Promise<void> {
  await mkdir(shardFolder(outputDir, shard), { recursive: true });
}
