import { statSync } from 'node:fs';
import { cpus } from 'node:os';
import { formatShard } from '@mfr/core';
import {
  DEFAULT_MASK_SPEC,
  FAILURE_CATEGORIES,
  type FailureCategory,
  type FailureGroup,
  LANDMARKER_KINDS,
  MASK_COVERAGES,
  MASK_SHAPES,
  MASK_TEXTURES,
  type MaskSpec,
  parseMaskSpec,
} from '@mfr/masking';
import { type MaskDatasetResult, maskDataset } from '@mfr/masking/node';
import { type Command, Option } from 'commander';
import { startBackend } from '../cli-support/backend.js';
import { UsageError } from '../cli-support/errors.js';
import { printJsonResult } from '../cli-support/json-output.js';
import { parseIntOption } from '../cli-support/options.js';
import { createProgressReporter } from '../cli-support/progress.js';
import { SHARD_OPTION_HELP, shardOfRun } from '../cli-support/shard.js';

interface MaskCommandOptions {
  shape: string;
  coverage: string;
  color: string;
  texture: string;
  landmarker: 'face68' | 'facemesh';
  landmarkNet: 'full' | 'tiny';
  seed: number;
  limit?: number;
  workers: number;
  batchSize: number;
  faces: 'largest' | 'all';
  saveMasks?: boolean;
  verify: boolean;
  retryErrors?: boolean;
  backend?: string;
  shard?: string;
  json?: boolean;
}

/**
 * Registers `mfr mask <input-dir> <output-dir>`: synthetic masks on every face image of a folder tree, verified
 * by re-detection, into a mirrored tree with a resumable manifest.jsonl (see `maskDataset` in @mfr/masking).
 *
 * @example
 * registerMaskCommand(program);
 * // mfr mask ../shared/datasets/att out/att-masked --shape wide --color light-blue --json
 */
export function registerMaskCommand(program: Command): void {
  program
    .command('mask')
    .description(
      'Draw synthetic masks on the faces of an image folder (verified by re-detection), mirroring its layout.',
    )
    .argument('<input-dir>', 'folder of face images (searched recursively)')
    .argument('<output-dir>', 'where masked images and manifest.jsonl go (a rerun resumes)')
    .addOption(
      new Option('--shape <shape>', 'mask outline')
        .choices([...MASK_SHAPES])
        .default(DEFAULT_MASK_SPEC.shape),
    )
    .addOption(
      new Option('--coverage <level>', 'nose coverage of the wide/round masks')
        .choices([...MASK_COVERAGES])
        .default('medium'),
    )
    .option('--color <color>', "colour name, '#rrggbb' or 'random'", DEFAULT_MASK_SPEC.color)
    .addOption(
      new Option('--texture <texture>', 'procedural texture').choices([...MASK_TEXTURES]).default('none'),
    )
    .addOption(
      new Option('--landmarker <kind>', 'face detector + landmarks')
        .choices([...LANDMARKER_KINDS])
        .default('face68'),
    )
    .addOption(
      new Option('--landmark-net <net>', 'face68 landmark net (tiny: ~15% faster, slightly less precise)')
        .choices(['full', 'tiny'])
        .default('full'),
    )
    .option('--seed <n>', 'base seed (each image gets one derived from it and its path)', parseIntOption(), 0)
    .option('--limit <n>', 'mask only the first n images (sorted paths)', parseIntOption({ min: 1 }))
    .option(
      '--workers <n>',
      'worker processes, each with its own models (one per core)',
      parseIntOption({ min: 1, max: 64 }),
      Math.max(1, Math.min(2, cpus().length)),
    )
    .option(
      '--batch-size <n>',
      'images that go through the nets together (photos of several megapixels go a few at a time)',
      parseIntOption({ min: 1, max: 1024 }),
      16,
    )
    .addOption(
      new Option('--faces <which>', 'mask the largest face or all faces')
        .choices(['largest', 'all'])
        .default('largest'),
    )
    .option('--save-masks', 'also write each binary mask to <output-dir>/.masks/')
    .option('--no-verify', 'keep masked images without re-detecting the face')
    .option(
      '--retry-errors',
      'redo images an earlier run recorded as error (e.g. after replacing broken files)',
    )
    .option(
      '--backend <name>',
      'tfjs backend (default: MFR_BACKEND, else the fastest available; wasm for --landmarker facemesh)',
    )
    .option('--shard <i/n>', SHARD_OPTION_HELP)
    .option('--json', 'print one JSON summary object as the last line of stdout')
    .addHelpText(
      'after',
      `
Statuses: masked (drawn and re-detected), no-face (no face in the original), not-verified (mask drawn but the
face is no longer detected: discarded, as in the paper), error (empty, corrupt or unreadable file, or the output
could not be written; the full reason is in the manifest). Only masked images are written.

After the run, stderr lists the images that were not masked, grouped by reason (up to 5 example paths each).
Exit status: 0 when at least one image was masked or nothing was left to do (all skipped), 1 when this run had
images to process and masked none, 2 on a usage error (e.g. <input-dir> is a file or does not exist).

Resuming: <output-dir>/manifest.jsonl gets one JSON line per image, appended as each finishes; a rerun skips the
images it lists (error ones too, unless --retry-errors) and first deletes temp files (.<name>.<pid>.<n>.tmp) that
a killed run left in <output-dir>. A redone image gets a new line: the last line per source is the one that
counts (read the manifest with readMaskManifest from @mfr/masking). Do not run two unsharded jobs on one output
folder.

Sharding (clusters, or several processes on one machine): --shard i/n masks the images whose relative path hashes
to shard i and writes only their images and <output-dir>/.shards/i-of-n/ (one manifest per attempt, so a shard
may be retried, even twice at once). When all n have finished, mfr merge <output-dir> writes manifest.jsonl as a
single run would (a plain mfr mask run on the folder folds the shards in too). See docs/scale.md.

Examples:
  mfr mask ../shared/datasets/att out/att-masked
  mfr mask photos/ out/masked --shape wide --coverage high --color light-blue --texture pleats --seed 7 --json
  mfr mask photos/ out/masked --retry-errors      # after replacing the files that failed`,
    )
    .action(async (inputDir: string, outputDir: string, options: MaskCommandOptions, command: Command) => {
      checkFolders(inputDir, outputDir);
      let spec: MaskSpec;
      try {
        spec = parseMaskSpec({
          shape: options.shape,
          coverage: options.coverage,
          color: options.color,
          texture: options.texture,
        } as Partial<MaskSpec>);
      } catch (error) {
        throw new UsageError((error as Error).message.replace('parseMaskSpec: ', '--'));
      }
      // FaceMesh needs the Transform kernel, which tfjs-node lacks; face68 in batches is cheapest on tfjs-node
      const backend = await startBackend(
        command,
        options.backend,
        options.landmarker === 'facemesh' ? 'wasm' : undefined,
      );
      const shard = shardOfRun(options.shard);
      const progress = createProgressReporter({ label: 'masking', total: 0 });
      const result = await maskDataset(inputDir, outputDir, spec, {
        landmarker:
          options.landmarker === 'face68'
            ? { kind: 'face68', landmarkNet: options.landmarkNet }
            : { kind: 'facemesh' },
        verifier: options.verify ? {} : false,
        seed: options.seed,
        limit: options.limit,
        workers: options.workers,
        batchSize: options.batchSize,
        faces: options.faces,
        saveMasks: options.saveMasks,
        retryErrors: options.retryErrors ?? false,
        shard,
        onProgress: (p) => {
          if (p.done === 1) progress.setTotal(p.total);
          const { masked, noFace, notVerified, errors } = p.counts;
          progress.update(
            p.done,
            `masked ${masked}, no face ${noFace}, not verified ${notVerified}, errors ${errors}`,
          );
        },
      });
      progress.stop();
      const where = shard ? `, shard ${formatShard(shard)}` : '';
      const header = `${inputDir} -> ${outputDir} (${result.total} images${where}, backend ${backend}, ${options.workers} worker(s))`;
      process.stderr.write(`${[...summaryTable(header, result), ...notMaskedLines(result)].join('\n')}\n`);
      const { masked, noFace, notVerified, errors, skipped } = result.counts;
      if (options.json) {
        printJsonResult({
          inputDir,
          outputDir,
          total: result.total,
          masked,
          noFace,
          notVerified,
          errors,
          skipped,
          failuresByReason: result.failures.errors,
          earlierErrors: result.earlierErrors,
          staleTempFilesRemoved: result.staleTempFiles.length,
          imagesPerSecond: Math.round(result.imagesPerSecond * 100) / 100,
          backend,
          workers: options.workers,
          batchSize: options.batchSize,
          shard: shard ? formatShard(shard) : null,
          spec,
          manifest: result.manifestPath,
        });
      }
      const failure = nothingMaskedError(inputDir, result);
      if (failure) throw failure;
    });
}

/**
 * Throws a UsageError unless `inputDir` is an existing folder and `outputDir` is not a file.
 *
 * @example
 * checkFolders('photos/a.jpg', 'out'); // throws: photos/a.jpg is a file; mfr mask takes a folder of images ...
 */
function checkFolders(inputDir: string, outputDir: string): void {
  const input = statSync(inputDir, { throwIfNoEntry: false });
  if (!input)
    throw new UsageError(
      `${inputDir} does not exist; mfr mask takes a folder of images (searched recursively)`,
    );
  if (!input.isDirectory())
    throw new UsageError(`${inputDir} is a file; mfr mask takes a folder of images (searched recursively)`);
  if (statSync(outputDir, { throwIfNoEntry: false })?.isFile())
    throw new UsageError(
      `${outputDir} is a file; mfr mask writes into an output folder (created when missing): pass another path`,
    );
}

/**
 * The status table printed after a run.
 *
 * @example
 * summaryTable('in -> out (4 images, ...)', result); // ['in -> out ...', 'status  images  share', 'masked  3  75.0%', ...]
 */
function summaryTable(header: string, result: MaskDatasetResult): string[] {
  const { masked, noFace, notVerified, errors, skipped } = result.counts;
  const processed = masked + noFace + notVerified + errors;
  const pct = (n: number) => (processed > 0 ? `${((100 * n) / processed).toFixed(1)}%` : '-');
  const rows: [string, number, string][] = [
    ['masked', masked, pct(masked)],
    ['no-face', noFace, pct(noFace)],
    ['not-verified', notVerified, pct(notVerified)],
    ['error', errors, pct(errors)],
    ['skipped (done before)', skipped, ''],
  ];
  return [
    `\n${header}`,
    `${'status'.padEnd(22)}${'images'.padStart(8)}${'share'.padStart(9)}`,
    ...rows.map(([name, n, share]) => `${name.padEnd(22)}${String(n).padStart(8)}${share.padStart(9)}`),
    `${result.imagesPerSecond.toFixed(1)} images/s; manifest: ${result.manifestPath}`,
  ];
}

/** `(a.jpg, b.jpg, ...)`: a group's example paths, with `...` when there are more. */
const examplesOf = (group: FailureGroup) =>
  `(${group.examples.join(', ')}${group.count > group.examples.length ? ', ...' : ''})`;

/**
 * What was not masked in this run, grouped by reason, plus what the run cleaned up or skipped. Empty when every
 * image of the run was masked and there was nothing to report.
 *
 * @example
 * notMaskedLines(result);
 * // ['not masked in this run:', '  error 2: 1 corrupt or unsupported image (b/corrupt.jpg), 1 empty file (empty.png)', ...]
 */
function notMaskedLines(result: MaskDatasetResult): string[] {
  const { errors, noFace, notVerified } = result.failures;
  const lines: string[] = [];
  const errorCount = result.counts.errors;
  if (errorCount > 0) {
    const groups = (Object.entries(errors) as [FailureCategory, FailureGroup][]).map(([category, group]) => {
      const label = FAILURE_CATEGORIES[category][group.count === 1 ? 'one' : 'many'];
      return `${group.count} ${label} ${examplesOf(group)}`;
    });
    lines.push(`  error ${errorCount}: ${groups.join(', ')}`);
  }
  if (noFace.count > 0) lines.push(`  no-face ${noFace.count}: no face found ${examplesOf(noFace)}`);
  if (notVerified.count > 0)
    lines.push(
      `  not-verified ${notVerified.count}: face no longer detected under the mask ${examplesOf(notVerified)}`,
    );
  if (lines.length > 0) {
    lines.unshift('not masked in this run:');
    lines.push(`  (the full reason of each image is in ${result.manifestPath})`);
  }
  if (result.staleTempFiles.length > 0) {
    const shown = { count: result.staleTempFiles.length, examples: result.staleTempFiles.slice(0, 5) };
    lines.push(`removed ${shown.count} temp file(s) left by an interrupted run ${examplesOf(shown)}`);
  }
  if (result.earlierErrors > 0)
    lines.push(
      `${result.earlierErrors} image(s) failed in an earlier run and were skipped; fix them and rerun with --retry-errors`,
    );
  return lines;
}

/**
 * The failure of a run that had images to process and masked none (exit status 1), or null.
 *
 * @example
 * const failure = nothingMaskedError('photos', result); if (failure) throw failure;
 */
function nothingMaskedError(inputDir: string, result: MaskDatasetResult): Error | null {
  const { masked, noFace, notVerified, errors } = result.counts;
  const processed = masked + noFace + notVerified + errors;
  if (processed === 0 || masked > 0) return null;
  const fix =
    errors > 0
      ? 'replace or remove the files listed above, then rerun with --retry-errors'
      : 'check that the folder holds face photos';
  return new Error(`no image of ${inputDir} was masked (${processed} processed, see above); ${fix}`);
}
