import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend } from '@mfr/core';
import { cacheShardFiles, mergeJsonlCacheShards } from '@mfr/core/node';
import { createGraphEmbedder, createSiamese, type Embedder, splitPairDataset } from '@mfr/siamese';
import { createFaceLoader, loadPairDataset, trainSiamese } from '@mfr/siamese/node';
import type * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACES_DIR, faceSlice, maskedCopy } from './fixtures.js';

const tmp: string[] = [];
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(async () => {
  for (const d of tmp) await rm(d, { recursive: true, force: true });
});

/** key -> vector text of a JSONL cache file. */
const entriesOf = (file: string) =>
  new Map(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const { k, v } = JSON.parse(line) as { k: string; v: number[] };
        return [k, JSON.stringify(v)] as const;
      }),
  );

describe('trainSiamese with a shard: the frozen-embedder cache filled by shards', () => {
  it('3 shards fill the cache a single run fills, and training then embeds nothing', async () => {
    const maskedDir = await maskedCopy(await faceSlice(8, 2), 'shard-cache');
    const work = await mkdtemp(join(tmpdir(), 'mfr-siamese-shards-'));
    tmp.push(maskedDir, work);
    const mobileface = await createGraphEmbedder({ preset: 'mobileface' });
    let calls = 0;
    const embedder: Embedder = {
      ...mobileface,
      embed(batch: tf.Tensor4D) {
        calls += batch.shape[0];
        return mobileface.embed(batch);
      },
    };
    const faces = createFaceLoader({ size: embedder.inputSize });
    const ds = await loadPairDataset({ dataDir: FACES_DIR, maskedDir });
    const { train, heldOut } = splitPairDataset(ds, 0.5, createRng(3));
    const run = (
      outDir: string,
      embeddingCacheFile: string,
      extra: { shard?: { index: number; count: number }; steps?: number },
    ) => {
      const model = createSiamese({ backbone: embedder, headUnits: 8 });
      return trainSiamese({
        model,
        train: [train],
        validation: [heldOut],
        faces,
        outDir: join(work, outDir),
        embeddingCacheFile,
        steps: extra.steps ?? 0,
        batchSize: 4,
        validationTrials: 5,
        validationImposters: 2,
        ...(extra.shard ? { shard: extra.shard } : {}),
      }).finally(() => model.head.dispose());
    };

    const single = join(work, 'single.jsonl');
    await run('single', single, {});
    const want = entriesOf(single);
    expect(want.size).toBeGreaterThan(16);

    const sharded = join(work, 'sharded.jsonl');
    calls = 0;
    const counts: number[] = [];
    for (const index of [0, 1, 2]) {
      const r = await run(`shard-${index}`, sharded, { shard: { index, count: 3 } });
      expect(r.steps).toBe(0);
      counts.push(r.shardFaces ?? -1);
    }
    // each face embedded once, by exactly one shard; none wrote the shared file
    expect(counts.reduce((a, b) => a + b, 0)).toBe(want.size);
    expect(calls).toBe(want.size);
    expect(cacheShardFiles(sharded)).toHaveLength(3);
    const merged = await mergeJsonlCacheShards(sharded);
    expect(merged).toMatchObject({ files: 3, added: want.size, entries: want.size });
    expect(cacheShardFiles(sharded)).toHaveLength(0);
    expect(entriesOf(sharded)).toEqual(want);

    // training on the merged cache finds every descriptor there
    calls = 0;
    const trained = await run('trained', sharded, { steps: 2 });
    expect(trained.steps).toBe(2);
    expect(calls).toBe(0);
    faces.dispose();
    mobileface.dispose();
  });
});
