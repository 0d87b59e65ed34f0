import { cpus } from 'node:os';
import { initBackend } from '@mfr/core';
import {
  LANDMARKER_KINDS,
  MASK_COVERAGES,
  MASK_SHAPES,
  MASK_TEXTURES,
  type MaskSpec,
  maskDataset,
  parseMaskSpec,
} from '@mfr/masking';
import { type Command, Option } from 'commander';
import { UsageError } from '../cli-support/errors.js';
import { printJsonResult } from '../cli-support/json-output.js';
import { parseIntOption } from '../cli-support/options.js';
import { createProgressReporter } from '../cli-support/progress.js';

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
  faces: 'largest' | 'all';
  saveMasks?: boolean;
  verify: boolean;
  backend?: string;
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
    .addOption(new Option('--shape <shape>', 'mask outline').choices([...MASK_SHAPES]).default('a'))
    .addOption(
      new Option('--coverage <level>', 'nose coverage of the wide/round masks')
        .choices([...MASK_COVERAGES])
        .default('medium'),
    )
    .option('--color <color>', "colour name, '#rrggbb' or 'random'", 'white')
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
      'worker threads, each with its own models',
      parseIntOption({ min: 1, max: 64 }),
      Math.max(1, Math.min(2, cpus().length)),
    )
    .addOption(
      new Option('--faces <which>', 'mask the largest face or all faces')
        .choices(['largest', 'all'])
        .default('largest'),
    )
    .option('--save-masks', 'also write each binary mask to <output-dir>/.masks/')
    .option('--no-verify', 'keep masked images without re-detecting the face')
    .option(
      '--backend <name>',
      'tfjs backend (default: MFR_BACKEND, else wasm: cheaper than tfjs-node for these small models)',
    )
    .option('--json', 'print one JSON summary object as the last line of stdout')
    .addHelpText(
      'after',
      `
Statuses: masked (drawn and re-detected), no-face (no face in the original), not-verified (mask drawn but the
face is no longer detected: discarded, as in the paper), error (unreadable file; the reason is in the manifest).
Only masked images are written. <output-dir>/manifest.jsonl has one line per image; a rerun skips finished images.

Examples:
  mfr mask ../shared/datasets/att out/att-masked
  mfr mask photos/ out/masked --shape wide --coverage high --color light-blue --texture pleats --seed 7 --json`,
    )
    .action(async (inputDir: string, outputDir: string, options: MaskCommandOptions) => {
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
      // wasm by default: these small models cost ~25% less CPU per image on wasm than on tfjs-node (measured on
      // LFW), and FaceMesh needs the Transform kernel, which tfjs-node lacks
      const backend = await initBackend({
        backend: (options.backend ?? process.env.MFR_BACKEND ?? 'wasm') as never,
        verbose: !options.json,
      });
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
        faces: options.faces,
        saveMasks: options.saveMasks,
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
      const lines = [
        `\n${inputDir} -> ${outputDir} (${result.total} images, backend ${backend}, ${options.workers} worker(s))`,
        `${'status'.padEnd(22)}${'images'.padStart(8)}${'share'.padStart(9)}`,
        ...rows.map(([name, n, share]) => `${name.padEnd(22)}${String(n).padStart(8)}${share.padStart(9)}`),
        `${(result.imagesPerSecond).toFixed(1)} images/s; manifest: ${result.manifestPath}`,
      ];
      process.stderr.write(`${lines.join('\n')}\n`);
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
          imagesPerSecond: Math.round(result.imagesPerSecond * 100) / 100,
          backend,
          workers: options.workers,
          spec,
          manifest: result.manifestPath,
        });
      }
    });
}
