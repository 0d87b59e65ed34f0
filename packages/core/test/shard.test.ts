import { describe, expect, it } from 'vitest';
import {
  formatShard,
  inShard,
  parseShard,
  resolveShard,
  shardFromEnv,
  shardOf,
  shardSlug,
  stableHash32,
} from '../src/index.js';

// FNV-1a over the bytes of a Buffer: an independent reference for the UTF-8 encoding done by hand in stableHash32
function fnv1aOfBytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

describe('stableHash32', () => {
  it('gives the published 32-bit FNV-1a test vectors', () => {
    // from the FNV reference test suite (Fowler/Noll/Vo, draft-eastlake-fnv): fnv1a32 of "", "a", "foobar"
    expect(stableHash32('')).toBe(0x811c9dc5);
    expect(stableHash32('a')).toBe(0xe40c292c);
    expect(stableHash32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of non-ASCII paths (accents, CJK, emoji)', () => {
    for (const text of [
      'José_Mourinho/José_0001.jpg',
      'Zoë/é.png',
      '北京/人脸.jpg',
      'x/😷.jpg',
      'Ñ\u00ff\u0800',
    ]) {
      expect(stableHash32(text), text).toBe(fnv1aOfBytes(new TextEncoder().encode(text)));
    }
  });
});

describe('shardOf', () => {
  const paths = Array.from(
    { length: 4000 },
    (_, i) => `person_${i % 997}/person_${i % 997}_${String(i).padStart(4, '0')}.jpg`,
  );

  it('splits a dataset into n parts of about equal size, each file in exactly one', () => {
    for (const n of [2, 4, 7]) {
      const sizes = new Array(n).fill(0);
      for (const p of paths) sizes[shardOf(p, n)]++;
      for (const s of sizes) expect(Math.abs(s - paths.length / n)).toBeLessThan(0.1 * (paths.length / n));
      for (const p of paths.slice(0, 50)) {
        const owners = Array.from({ length: n }, (_, i) => inShard(p, { index: i, count: n }));
        expect(owners.filter(Boolean)).toHaveLength(1);
      }
    }
  });

  it('depends on the path only: listing order, separators and added files move nothing', () => {
    const before = new Map(paths.map((p) => [p, shardOf(p, 4)]));
    const shuffled = [...paths].reverse().concat(['new/one.jpg', 'new/two.jpg']);
    for (const p of shuffled) if (before.has(p)) expect(shardOf(p, 4)).toBe(before.get(p));
    expect(shardOf('a\\b\\c.jpg', 4)).toBe(shardOf('a/b/c.jpg', 4));
    expect(shardOf('./a/b.jpg', 4)).toBe(shardOf('a/b.jpg', 4));
    expect(inShard('anything.jpg', null)).toBe(true);
  });
});

describe('parseShard, shardFromEnv, resolveShard', () => {
  it('parses i/n, 0-based, and names the fix for bad values', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    expect(formatShard({ index: 3, count: 8 })).toBe('3/8');
    expect(shardSlug({ index: 3, count: 8 })).toBe('3-of-8');
    expect(() => parseShard('8/8')).toThrow(/0\.\.7 \(0-based\)/);
    expect(() => parseShard('1/0')).toThrow(/count must be an integer >= 1/);
    expect(() => parseShard('two')).toThrow(/--shard: "two" is not a shard; give <index>\/<count>/);
  });

  it('reads Slurm job arrays, Kubernetes Indexed Jobs and MFR_SHARD', () => {
    expect(shardFromEnv({})).toBeNull();
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({
      index: 3,
      count: 8,
    });
    // sbatch --array=1-8: ids 1..8 are shards 0..7
    expect(
      shardFromEnv({ SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '1' }),
    ).toEqual({ index: 7, count: 8 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2', MFR_SHARD_COUNT: '4' })).toEqual({ index: 2, count: 4 });
    expect(shardFromEnv({ MFR_SHARD: '1/2', SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '9' })).toEqual(
      {
        index: 1,
        count: 2,
      },
    );
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '2' })).toThrow(
      /MFR_SHARD_COUNT is not; set it to the Job's completions/,
    );
    expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '2' })).toThrow(/SLURM_ARRAY_TASK_COUNT is not/);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '4', MFR_SHARD_COUNT: '4' })).toThrow(/0\.\.3/);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: 'x', MFR_SHARD_COUNT: '4' })).toThrow(
      /JOB_COMPLETION_INDEX="x" is not a non-negative integer/,
    );
  });

  it('lets --shard win over the environment; one shard is the whole job', () => {
    expect(resolveShard('1/4', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2' })).toEqual({
      index: 1,
      count: 4,
    });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '1', MFR_SHARD_COUNT: '2' })).toEqual({
      index: 1,
      count: 2,
    });
    expect(resolveShard('0/1', {})).toBeNull();
    expect(resolveShard(undefined, {})).toBeNull();
  });
});
