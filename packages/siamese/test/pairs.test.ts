import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, fivePointsFrom68 } from '@mfr/core';
import {
  createPairSampler,
  createValidationTrials,
  limitPairDataset,
  oneOfNPrecision,
  type Pair,
  type PairDataset,
  splitPairDataset,
} from '@mfr/siamese';
import { pairDatasetFromManifest, readManifestProbes } from '@mfr/siamese/node';
import { describe, expect, it } from 'vitest';

// identities id0..id(n-1); identity i has (i % 3) + 1 photos, each with a masked probe
function synthetic(name: string, n: number): PairDataset {
  return {
    name,
    identities: Array.from({ length: n }, (_, i) => {
      const refs = Array.from({ length: (i % 3) + 1 }, (_, k) => `/${name}/id${i}/${k}.jpg`);
      return {
        id: `id${i}`,
        references: refs,
        probes: refs.map((r) => ({ path: r.replace('.jpg', '_m.png'), source: r })),
      };
    }),
  };
}

describe('readManifestProbes + pairDatasetFromManifest', () => {
  it('resolves paths, keeps only masked probes, and later lines win', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mfr-manifest-'));
    const lm = Array.from({ length: 68 }, (_, i) => [i, i + 0.5]);
    const lines = [
      { source: 'Ann/Ann_1.jpg', output: 'Ann/Ann_1.png', status: 'error' },
      { source: 'Ann/Ann_1.jpg', output: 'Ann/Ann_1.png', status: 'masked' },
      { source: 'Ann/Ann_2.jpg', output: 'Ann/Ann_2.png', status: 'no-face' },
      { source: 'Bob/Bob_1.jpg', output: 'Bob/Bob_1.png', status: 'masked', landmarks: lm },
      { source: 'Cid/Cid_1.jpg', output: null, status: 'no-face', landmarks: null },
    ];
    await writeFile(
      join(dir, 'manifest.jsonl'),
      `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"source": "trunc`,
    );
    const entries = await readManifestProbes(dir, { sourceRoot: '/data' });
    expect(entries).toHaveLength(4);
    expect(entries[2].landmarks68).toEqual(lm);
    expect(entries[0].landmarks68).toBeUndefined();
    expect(entries[0]).toMatchObject({
      source: '/data/Ann/Ann_1.jpg',
      output: join(dir, 'Ann/Ann_1.png'),
      status: 'masked',
    });
    const ds = pairDatasetFromManifest('t', '/data', entries);
    expect(ds.identities.map((i) => i.id)).toEqual(['Ann', 'Bob', 'Cid']);
    expect(ds.identities[1].probes[0].landmarks68).toEqual(lm);
    expect(ds.identities[2].probes).toEqual([]);
    expect(ds.identities[0].references).toEqual(['/data/Ann/Ann_1.jpg', '/data/Ann/Ann_2.jpg']);
    expect(ds.identities[0].probes.map((p) => p.source)).toEqual(['/data/Ann/Ann_1.jpg']);
    await rm(dir, { recursive: true, force: true });
  });

  it('says what to do when the manifest is missing', async () => {
    await expect(readManifestProbes('/nonexistent/masked')).rejects.toThrow(/run the masking job/);
  });
});

describe('createPairSampler', () => {
  it('authentic pairs: same identity, a different photo when there is one; imposters: other identity, same dataset', async () => {
    const a = synthetic('a', 12);
    const b = synthetic('b', 6);
    const sampler = createPairSampler([a, b], { seed: 1 });
    for (let i = 0; i < 200; i++) {
      const p = sampler.authentic();
      expect(p.label).toBe(1);
      expect(p.referenceId).toBe(p.probeId);
      const identity = (p.dataset === 'a' ? a : b).identities.find((x) => x.id === p.probeId)!;
      if (identity.references.length > 1) expect(p.reference).not.toBe(p.probeSource);
      else expect(p.reference).toBe(p.probeSource);
      const q = await sampler.imposter();
      expect(q.label).toBe(0);
      expect(q.referenceId).not.toBe(q.probeId);
      expect(q.reference.startsWith(`/${q.dataset}/`)).toBe(true);
      expect(q.probe.startsWith(`/${q.dataset}/`)).toBe(true);
    }
  });

  it('is reproducible from a seed and from a saved state', async () => {
    const ds = [synthetic('a', 10)];
    const s1 = createPairSampler(ds, { seed: 7 });
    const s2 = createPairSampler(ds, { seed: 7 });
    expect(await s1.batch(16)).toEqual(await s2.batch(16));
    const state = s1.getState();
    const next = await s1.batch(8);
    s2.setState(state);
    expect(await s2.batch(8)).toEqual(next);
  });

  it('uniform follows dataset size, stratified picks datasets equally', async () => {
    const big = synthetic('big', 30); // 60 probes
    const small = synthetic('small', 3); // 6 probes
    const count = (pairs: Pair[]) => pairs.filter((p) => p.dataset === 'small').length / pairs.length;
    const uniform = await createPairSampler([big, small], { seed: 2, sampling: 'uniform' }).batch(4000);
    const stratified = await createPairSampler([big, small], { seed: 2, sampling: 'stratified' }).batch(4000);
    expect(count(uniform)).toBeGreaterThan(0.06);
    expect(count(uniform)).toBeLessThan(0.12); // 6 / 66 = 0.09
    expect(count(stratified)).toBeGreaterThan(0.46);
    expect(count(stratified)).toBeLessThan(0.54);
  });

  it('hardest: K keeps the candidate the scorer finds most similar', async () => {
    const seen: Pair[][] = [];
    const scoreOf = (p: Pair) => createRng(`${p.reference}|${p.probe}`).next();
    const sampler = createPairSampler([synthetic('a', 20)], {
      seed: 3,
      hardest: 5,
      score: async (pairs) => {
        seen.push([...pairs]);
        return pairs.map(scoreOf);
      },
    });
    const batch = await sampler.batch(10); // 5 authentic + 5 imposters, scored in one call
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(25);
    const imposters = batch.filter((p) => p.label === 0);
    expect(imposters).toHaveLength(5);
    for (let g = 0; g < 5; g++) {
      const group = seen[0].slice(g * 5, g * 5 + 5);
      expect(new Set(group.map((p) => p.probe)).size).toBe(1);
      expect(new Set(group.map((p) => p.referenceId)).size).toBe(5); // distinct other identities
      const best = group.reduce((x, y) => (scoreOf(y) > scoreOf(x) ? y : x));
      expect(imposters).toContainEqual(best);
    }
    await expect(createPairSampler([synthetic('a', 5)], { hardest: 2 }).imposter()).rejects.toThrow(
      /score callback/,
    );
  });
});

describe('limitPairDataset', () => {
  it('keeps a seeded subset of identities and photos, and drops probes of dropped photos', () => {
    const ds = synthetic('a', 30);
    const small = limitPairDataset(ds, { maxIdentities: 10, maxImagesPerIdentity: 2 }, createRng(1));
    expect(small.identities).toHaveLength(10);
    for (const i of small.identities) {
      expect(i.references.length).toBeLessThanOrEqual(2);
      for (const p of i.probes) expect(i.references).toContain(p.source);
    }
    const multi = limitPairDataset(ds, { minImagesPerIdentity: 2 }, createRng(1));
    expect(multi.identities).toHaveLength(20); // identities i % 3 != 0 have 2 or 3 photos
    expect(multi.identities.every((i) => i.references.length >= 2)).toBe(true);
    expect(limitPairDataset(ds, { maxIdentities: 10 }, createRng(1))).toEqual(
      limitPairDataset(ds, { maxIdentities: 10 }, createRng(1)),
    );
  });
});

describe('validation trials', () => {
  it('1 authentic + 19 imposters from distinct held-out identities; precision counts strict wins', () => {
    const { train, heldOut } = splitPairDataset(synthetic('a', 100), 0.3, createRng(4));
    expect(heldOut.identities).toHaveLength(30);
    const trainIds = new Set(train.identities.map((i) => i.id));
    expect(heldOut.identities.some((i) => trainIds.has(i.id))).toBe(false);
    const trials = createValidationTrials([heldOut], { trials: 50, seed: 1 });
    expect(trials).toHaveLength(50);
    for (const t of trials) {
      expect(t.imposters).toHaveLength(19);
      const owners = t.imposters.map((r) => r.split('/')[2]);
      expect(new Set(owners).size).toBe(19);
      expect(owners).not.toContain(t.probeId);
      expect(t.authentic.split('/')[2]).toBe(t.probeId);
    }
    expect(
      oneOfNPrecision([
        [0.9, 0.1, 0.2],
        [0.3, 0.5, 0.1],
        [0.5, 0.5, 0.1],
      ]),
    ).toBeCloseTo(1 / 3);
    expect(() => createValidationTrials([synthetic('s', 5)])).toThrow(/need 20/);
  });
});

describe('fivePointsFrom68', () => {
  it('takes eye centres, nose tip and mouth corners', () => {
    const lm = Array.from({ length: 68 }, (_, i) => [i, 2 * i] as [number, number]);
    expect(fivePointsFrom68(lm)).toEqual([
      [38.5, 77],
      [44.5, 89],
      [30, 60],
      [48, 96],
      [54, 108],
    ]);
    expect(() => fivePointsFrom68(lm.slice(0, 5))).toThrow(/expected 68/);
  });
});
