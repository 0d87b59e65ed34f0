import { createRng } from '@mfr/core';
import { describe, expect, it } from 'vitest';

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('resumes exactly from a saved state, including a cached normal deviate', () => {
    const rng = createRng('resume');
    rng.normal();
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const expected = [rng.normal(), rng.next(), rng.int(1000)];
    const restored = createRng(saved);
    expect([restored.normal(), restored.next(), restored.int(1000)]).toEqual(expected);
  });

  it('draws uniform integers without bias and normals with the right moments', () => {
    const rng = createRng(1);
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - n / 6)).toBeLessThan(5 * Math.sqrt(n / 6));
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal(2, 3);
      sum += z;
      sq += z * z;
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(sq / n - mean * mean)).toBeCloseTo(3, 1);
  });

  it('samples without replacement and shuffles to a permutation', () => {
    const rng = createRng(3);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const s = rng.sample(items, 20);
    expect(new Set(s).size).toBe(20);
    expect(rng.shuffle(items.slice()).sort((x, y) => x - y)).toEqual(items);
    expect(() => rng.sample(items, 51)).toThrow(/k must be/);
    expect(() => rng.pick([])).toThrow(/empty/);
    expect(() => rng.int(0)).toThrow(/positive integer/);
  });
});
