import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProbes } from '@mfr/benchmark';
import { initBackend, shardOf } from '@mfr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';

const work = mkdtempSync(join(tmpdir(), 'mfr-probes-shard-'));
const data = join(work, 'faces');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  await writeSampleDataset(data, { identities: 2, perIdentity: 2 });
});

describe('resolveProbes with a shard', () => {
  it('masks only its own probes, and a shard that owns none still finishes', async () => {
    const probes = ['face-01/2.jpg', 'face-02/2.jpg'];
    const dataset = { name: 'faces', root: data, fallbackCrop: 0.55 };
    const count = 16;
    const owners = probes.map((p) => shardOf(p, count));
    const idle = [...Array(count).keys()].find((i) => !owners.includes(i)) as number;
    const options = {
      maskSource: 'synthetic' as const,
      maskSpec: { shape: 'wide' },
      cacheDir: join(work, 'cache'),
    };
    const none = await resolveProbes(dataset, probes, { ...options, shard: { index: idle, count } });
    expect([...none.values()].map((p) => p.status)).toEqual(['other shard', 'other shard']);
    const own = await resolveProbes(dataset, probes, { ...options, shard: { index: owners[0], count } });
    expect(own.get(probes[0])).toMatchObject({ status: 'ok' });
    expect(own.get(probes[0])?.path).toMatch(/output\/face-01\/2\.jpg$/);
    const maskedRoot = join(work, 'cache', 'masked', readdirSync(join(work, 'cache', 'masked'))[0], 'output');
    expect(existsSync(join(maskedRoot, '.shards', `${idle}-of-${count}`, 'done.json'))).toBe(true);
    expect(existsSync(join(maskedRoot, 'manifest.jsonl'))).toBe(false);
  });
});
