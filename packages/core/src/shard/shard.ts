/**
 * Deterministic sharding of batch jobs: a file belongs to shard `stableHash32(relativePath) % count`, so it lands
 * in the same shard whatever the file system's listing order, on every machine, and adding files to a dataset
 * moves nothing that is already done. Pure JS (no `node:` import): safe in a browser bundle.
 */

/** One shard of a job: `index` in `0 .. count-1`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `text` (an unsigned integer). Stable across machines, Node versions and
 * browsers; not a cryptographic hash.
 *
 * @example
 * stableHash32(''); // 2166136261 (the FNV offset basis)
 * stableHash32('a'); // 3826002220 (0xe40c292c, the published FNV-1a test vector)
 */
export function stableHash32(text: string): number {
  let hash = 0x811c9dc5;
  const byte = (b: number) => {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    // a surrogate pair is one code point: four UTF-8 bytes
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code < 0x80) byte(code);
    else if (code < 0x800) {
      byte(0xc0 | (code >> 6));
      byte(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      byte(0xe0 | (code >> 12));
      byte(0x80 | ((code >> 6) & 0x3f));
      byte(0x80 | (code & 0x3f));
    } else {
      byte(0xf0 | (code >> 18));
      byte(0x80 | ((code >> 12) & 0x3f));
      byte(0x80 | ((code >> 6) & 0x3f));
      byte(0x80 | (code & 0x3f));
    }
  }
  return hash >>> 0;
}

/**
 * The POSIX form of a relative path (`\` becomes `/`, a leading `./` is dropped), so Windows and Linux shards
 * agree.
 *
 * @example
 * posixRelative('a\\b.jpg'); // 'a/b.jpg'
 */
export function posixRelative(relativePath: string): string {
  return relativePath.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * The shard (0 .. count-1) that a file belongs to, from its path relative to the dataset root.
 *
 * @example
 * shardOf('Aaron_Eckhart/Aaron_Eckhart_0001.jpg', 4); // always the same number in 0..3
 */
export function shardOf(relativePath: string, count: number): number {
  checkShard({ index: 0, count });
  return stableHash32(posixRelative(relativePath)) % count;
}

/**
 * Whether a file (path relative to the dataset root) belongs to `shard`; every file belongs to a missing shard.
 *
 * @example
 * const mine = paths.filter((p) => inShard(p, { index: 2, count: 4 }));
 */
export function inShard(relativePath: string, shard: Shard | null | undefined): boolean {
  return !shard || shard.count === 1 || shardOf(relativePath, shard.count) === shard.index;
}

/** `i/n`, as `--shard` takes it. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** A file- and folder-name form of a shard: `2-of-8`. */
export function shardSlug(shard: Shard): string {
  return `${shard.index}-of-${shard.count}`;
}

function checkShard(shard: Shard, source = 'shard'): Shard {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`${source}: the shard count must be an integer >= 1, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new Error(
      `${source}: the shard index must be an integer in 0..${count - 1} (0-based), got ${index}; ` +
        `e.g. --shard 0/${count} .. --shard ${count - 1}/${count}`,
    );
  return shard;
}

/**
 * Parses `i/n` (0-based index, count), e.g. the value of `--shard`. Throws naming the text and the expected form.
 *
 * @example
 * parseShard('3/8'); // { index: 3, count: 8 }
 * parseShard('8/8'); // throws: the shard index must be an integer in 0..7 (0-based) ...
 */
export function parseShard(text: string, source = '--shard'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match)
    throw new Error(
      `${source}: "${text}" is not a shard; give <index>/<count> with a 0-based index, e.g. 0/4 for the first of four`,
    );
  return checkShard({ index: Number(match[1]), count: Number(match[2]) }, source);
}

/** The environment variables {@link shardFromEnv} reads (a subset of `process.env`). */
export type ShardEnv = Readonly<Record<string, string | undefined>>;

const intVar = (env: ShardEnv, name: string): number => {
  const raw = env[name];
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw))
    throw new Error(`${name}="${raw ?? ''}" is not a non-negative integer; unset it or fix the job script`);
  return Number(raw);
};

/**
 * The shard a scheduler assigned to this process, from its environment, or null when none did:
 * - `MFR_SHARD=i/n` (any launcher);
 * - Slurm job arrays: `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT` (the index is counted from
 *   `SLURM_ARRAY_TASK_MIN`, so `--array=1-8` works too; the array must have no gaps or steps);
 * - Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX`, with the count in `MFR_SHARD_COUNT` (set it to the Job's
 *   `completions`: Kubernetes does not pass the count to the pod).
 * Throws, naming the variable and the fix, when the variables are incomplete or out of range.
 *
 * @example
 * shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' }); // { index: 3, count: 8 }
 * shardFromEnv({ JOB_COMPLETION_INDEX: '2', MFR_SHARD_COUNT: '4' }); // { index: 2, count: 4 }
 * shardFromEnv({}); // null
 */
export function shardFromEnv(env: ShardEnv): Shard | null {
  if (env.MFR_SHARD) return parseShard(env.MFR_SHARD, 'MFR_SHARD');
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    if (env.SLURM_ARRAY_TASK_COUNT === undefined)
      throw new Error(
        'SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; run under sbatch --array, or pass --shard i/n',
      );
    const min = env.SLURM_ARRAY_TASK_MIN !== undefined ? intVar(env, 'SLURM_ARRAY_TASK_MIN') : 0;
    const index = intVar(env, 'SLURM_ARRAY_TASK_ID') - min;
    return checkShard(
      { index, count: intVar(env, 'SLURM_ARRAY_TASK_COUNT') },
      `SLURM_ARRAY_TASK_ID ${env.SLURM_ARRAY_TASK_ID} (min ${min}): use a gap-free array such as --array=0-N`,
    );
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (env.MFR_SHARD_COUNT === undefined)
      throw new Error(
        "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but MFR_SHARD_COUNT is not; set it to the Job's " +
          'completions in the pod spec, or pass --shard i/n',
      );
    return checkShard(
      { index: intVar(env, 'JOB_COMPLETION_INDEX'), count: intVar(env, 'MFR_SHARD_COUNT') },
      'JOB_COMPLETION_INDEX / MFR_SHARD_COUNT',
    );
  }
  return null;
}

/**
 * The shard of a run: the `--shard` text when given (it wins), else the scheduler's variables, else null (the
 * whole job). `n` = 1 (`0/1`) is the whole job too, and returns null.
 *
 * @example
 * resolveShard('1/4', process.env); // { index: 1, count: 4 }
 * resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2' }); // { index: 0, count: 2 }
 */
export function resolveShard(flag: string | undefined, env: ShardEnv): Shard | null {
  const shard = flag !== undefined ? parseShard(flag) : shardFromEnv(env);
  return shard && shard.count > 1 ? shard : null;
}
