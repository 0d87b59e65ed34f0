import { resolveShard, type Shard } from '@mfr/core';
import { UsageError } from './errors.js';

/** Help text of the `--shard <i/n>` option, shared by the commands that take it. */
export const SHARD_OPTION_HELP =
  'process only shard i of n (0-based), split by a hash of each relative path; default: MFR_SHARD, else ' +
  'SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, else JOB_COMPLETION_INDEX with MFR_SHARD_COUNT; join with mfr merge';

/**
 * The shard of this run from `--shard` or the scheduler's variables (see `resolveShard` in @mfr/core), or null;
 * a bad value is a usage error (exit 2) that names it.
 *
 * @example
 * const shard = shardOfRun(options.shard); // { index: 1, count: 4 } under --shard 1/4
 */
export function shardOfRun(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | null {
  try {
    return resolveShard(flag, env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
