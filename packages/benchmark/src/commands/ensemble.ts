import { combineSiameseCheckpoints } from '@mfr/siamese/node';
import type { Command } from 'commander';
import { startBackend } from '../cli-support/backend.js';
import { reportResult } from '../cli-support/json-output.js';

/**
 * Registers `mfr ensemble <checkpoints...> --out <dir>`: trained checkpoints on one embedder (e.g. `mfr train` with
 * other `--seed`s) as one averaging ensemble, which `createMatcher`, `mfr verify` and `mfr bench` load as one model.
 *
 * @example
 * registerEnsembleCommand(program);
 * // mfr ensemble out/s0/best out/s1/best out/s2/best --out out/heads --float16
 */
export function registerEnsembleCommand(program: Command): void {
  program
    .command('ensemble')
    .description(
      'Combine trained Siamese checkpoints into one averaging ensemble (the mean of their outputs).',
    )
    .argument(
      '<checkpoints...>',
      'two or more checkpoint folders with the same config (e.g. <out>/best of mfr train)',
    )
    .requiredOption('--out <dir>', 'folder to write the ensemble to (siamese.json, member-1/, ...)')
    .option('--float16', 'store the weights in half precision (half the bytes)')
    .option('--backend <name>', 'tfjs backend: tfjs-node, wasm, cpu (default: the fastest available)')
    .option('--json', 'print one JSON object as the last line of stdout')
    .addHelpText(
      'after',
      `
The checkpoints must share embedder, fused descriptors, adapter and head widths. Thresholds do not carry over:
calibrate the ensemble (packages/benchmark/bench/calibrate-matcher.ts) before mfr verify uses it.

Examples:
  mfr ensemble out/s0/best out/s1/best out/s2/best --out out/heads
  mfr ensemble a/best b/best --out out/ab --float16 --json`,
    )
    .action(async (dirs: string[], options: EnsembleOptions, command: Command) => {
      await startBackend(command, options.backend);
      const r = await combineSiameseCheckpoints(dirs, options.out, {
        weights: options.float16 ? 'float16' : 'float32',
      });
      reportResult(options.json, [`${options.out}: an averaging ensemble of ${r.members} checkpoints`], {
        out: options.out,
        members: r.members,
        from: dirs,
        weights: options.float16 ? 'float16' : 'float32',
      });
    });
}

interface EnsembleOptions {
  out: string;
  float16?: boolean;
  backend?: string;
  json?: boolean;
}
