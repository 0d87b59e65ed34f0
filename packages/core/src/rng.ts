/**
 * Seeded randomness for every random choice in the workspace.
 *
 * xoshiro128** (Blackman & Vigna) seeded through splitmix32: fast, 128-bit state, and its state is a plain
 * array, so a checkpoint can store it and a resumed run continues with exactly the same numbers.
 *
 * @example
 * const rng = createRng(42);
 * rng.next();            // float in [0, 1)
 * rng.int(10);           // integer in [0, 10)
 * rng.shuffle([1, 2, 3]);
 * const saved = rng.getState();
 * createRng(saved).next() === rng.next(); // true
 */

/** A serialisable RNG state: four unsigned 32-bit words plus a cached normal deviate. */
export interface RngState {
  readonly kind: 'xoshiro128**';
  readonly s: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform integer in [0, maxExclusive). Throws unless maxExclusive is a positive integer. */
  int(maxExclusive: number): number;
  /** Uniform float in [min, max). */
  range(min: number, max: number): number;
  /** True with probability p. */
  bool(p?: number): boolean;
  /** Normal deviate (Box-Muller; the second deviate of each pair is kept for the next call). */
  normal(mean?: number, std?: number): number;
  /** Shuffles the array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** One element chosen uniformly. Throws on an empty array. */
  pick<T>(items: readonly T[]): T;
  /** k distinct elements chosen uniformly without replacement, in random order. */
  sample<T>(items: readonly T[], k: number): T[];
  /** An independent generator derived from this one's next outputs and an optional label. */
  fork(label?: string | number): Rng;
  /** A copy of the current state (plain JSON). */
  getState(): RngState;
  /** Restores a state returned by getState(). */
  setState(state: RngState): void;
}

function hashString(text: string): number {
  // FNV-1a: strings such as identity names or file paths become 32-bit seeds
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function seedToState(seed: number | string): [number, number, number, number] {
  let base: number;
  if (typeof seed === 'string') base = hashString(seed);
  else {
    if (!Number.isFinite(seed))
      throw new Error(`createRng: seed must be a finite number or a string, got ${seed}`);
    // fold the high bits of large integer seeds in as well
    base = (Math.trunc(seed) ^ Math.trunc(seed / 0x100000000)) >>> 0;
  }
  const sm = splitmix32(base);
  const s: [number, number, number, number] = [sm(), sm(), sm(), sm()];
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is a fixed point
  return s;
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** Creates a seeded generator from a number, a string, or a saved {@link RngState}. */
export function createRng(seed: number | string | RngState = 0): Rng {
  let s: [number, number, number, number];
  let spareNormal: number | null = null;
  if (typeof seed === 'object') {
    if (seed.kind !== 'xoshiro128**' || seed.s.length !== 4) throw new Error('createRng: not an RngState');
    s = [seed.s[0] >>> 0, seed.s[1] >>> 0, seed.s[2] >>> 0, seed.s[3] >>> 0];
    spareNormal = seed.spareNormal;
  } else {
    s = seedToState(seed);
  }

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    s[0] >>>= 0;
    s[1] >>>= 0;
    s[2] >>>= 0;
    return result;
  };
  const next = (): number => uint32() / 0x100000000;

  const int = (maxExclusive: number): number => {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new Error(`rng.int: maxExclusive must be a positive integer, got ${maxExclusive}`);
    }
    if (maxExclusive > 0x100000000) return Math.floor(next() * maxExclusive);
    // rejection sampling removes the modulo bias
    const limit = 0x100000000 - (0x100000000 % maxExclusive);
    let x = uint32();
    while (x >= limit) x = uint32();
    return x % maxExclusive;
  };

  const rng: Rng = {
    next,
    uint32,
    int,
    range: (min, max) => min + (max - min) * next(),
    bool: (p = 0.5) => next() < p,
    normal(mean = 0, std = 1) {
      if (spareNormal !== null) {
        const z = spareNormal;
        spareNormal = null;
        return mean + std * z;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return mean + std * r * Math.cos(2 * Math.PI * v);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
    pick(items) {
      if (items.length === 0) throw new Error('rng.pick: cannot pick from an empty array');
      return items[int(items.length)];
    },
    sample(items, k) {
      if (!Number.isInteger(k) || k < 0 || k > items.length) {
        throw new Error(`rng.sample: k must be an integer in [0, ${items.length}], got ${k}`);
      }
      const copy = items.slice();
      // partial Fisher-Yates: only the first k positions are needed
      for (let i = 0; i < k; i++) {
        const j = i + int(copy.length - i);
        const tmp = copy[i];
        copy[i] = copy[j];
        copy[j] = tmp;
      }
      return copy.slice(0, k);
    },
    fork(label) {
      const mix = label === undefined ? 0 : hashString(String(label));
      return createRng({
        kind: 'xoshiro128**',
        s: [uint32() ^ mix, uint32(), uint32(), uint32() | 1],
        spareNormal: null,
      });
    },
    getState: () => ({ kind: 'xoshiro128**', s: [s[0], s[1], s[2], s[3]], spareNormal }),
    setState(state) {
      const restored = createRng(state).getState();
      s = [...restored.s] as [number, number, number, number];
      spareNormal = restored.spareNormal;
    },
  };
  return rng;
}
