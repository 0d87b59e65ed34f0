/** Seeded, balanced, identity-disjoint pair lists for folder-per-identity datasets. */
import { createRng } from '@mfr/core';
import type { IdentityImages } from '../datasets/folder.js';
import type { Pair } from './types.js';

/** Options of {@link generatePairs}; defaults follow LFW View 2's layout (10 folds of 300 + 300). */
export interface GeneratePairsOptions {
  /** Number of folds (default 10). Identities are split across folds, so no identity is in two folds. */
  folds?: number;
  /** Authentic pairs per fold; the same number of imposter pairs is drawn (default 300). */
  authenticPerFold?: number;
  /** Seed for createRng (default 1). */
  seed?: number | string;
}

/**
 * Draws a fixed pair list: in each fold, `authenticPerFold` authentic pairs (two different images of one
 * identity; the first becomes the unmasked reference, the second the probe) and as many imposter pairs (images
 * of two different identities of the same dataset and fold). Identities are shuffled and dealt round-robin to
 * folds; pairs are never repeated. When a fold has too few identities or images, it gets as many pairs as
 * exist, keeping authentic and imposter counts equal. Same input + seed = same list.
 *
 * @example
 * const ids = await listIdentities(resolveDataset('att').root);
 * const pairs = generatePairs(ids, { folds: 10, authenticPerFold: 50, seed: 1 }); // 1,000 pairs
 */
export function generatePairs(
  identities: readonly IdentityImages[],
  options: GeneratePairsOptions = {},
): Pair[] {
  const folds = options.folds ?? 10;
  const perFold = options.authenticPerFold ?? 300;
  if (!Number.isInteger(folds) || folds < 1)
    throw new Error(`generatePairs: folds must be >= 1, got ${folds}`);
  if (!Number.isInteger(perFold) || perFold < 1) {
    throw new Error(`generatePairs: authenticPerFold must be >= 1, got ${perFold}`);
  }
  if (identities.length < 2 * folds) {
    throw new Error(
      `generatePairs: ${identities.length} identities cannot fill ${folds} folds (need 2 per fold); use fewer folds.`,
    );
  }
  const rng = createRng(options.seed ?? 1);
  const shuffled = rng.shuffle(identities.slice());
  const byFold: IdentityImages[][] = Array.from({ length: folds }, () => []);
  // identities with several images first, so every fold gets some that can form authentic pairs
  const multi = shuffled.filter((id) => id.images.length >= 2);
  const single = shuffled.filter((id) => id.images.length < 2);
  for (const [i, id] of [...multi, ...single].entries()) byFold[i % folds].push(id);

  const pairs: Pair[] = [];
  for (let f = 0; f < folds; f++) {
    const foldRng = rng.fork(f);
    const members = byFold[f];
    const authentic = drawAuthentic(members, perFold, foldRng);
    const imposter = drawImposter(members, authentic.length, foldRng);
    const n = Math.min(authentic.length, imposter.length);
    for (const [reference, probe] of authentic.slice(0, n))
      pairs.push({ reference, probe, label: 1, fold: f + 1 });
    for (const [reference, probe] of imposter.slice(0, n))
      pairs.push({ reference, probe, label: 0, fold: f + 1 });
  }
  return pairs;
}

type Rng = ReturnType<typeof createRng>;

function drawAuthentic(members: readonly IdentityImages[], count: number, rng: Rng): [string, string][] {
  const candidates = members.filter((id) => id.images.length >= 2);
  const available = candidates.reduce((sum, id) => sum + (id.images.length * (id.images.length - 1)) / 2, 0);
  const target = Math.min(count, available);
  const seen = new Set<string>();
  const out: [string, string][] = [];
  // rejection sampling: identity uniformly first (as LFW does), then two distinct images
  for (let attempts = 0; out.length < target && attempts < target * 50; attempts++) {
    const id = rng.pick(candidates);
    const [a, b] = rng.sample(id.images, 2);
    const key = a < b ? `${a}\t${b}` : `${b}\t${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([a, b]);
  }
  return out;
}

function drawImposter(members: readonly IdentityImages[], count: number, rng: Rng): [string, string][] {
  if (members.length < 2) return [];
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (let attempts = 0; out.length < count && attempts < count * 50; attempts++) {
    const [idA, idB] = rng.sample(members, 2);
    const a = rng.pick(idA.images);
    const b = rng.pick(idB.images);
    const key = a < b ? `${a}\t${b}` : `${b}\t${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([a, b]);
  }
  return out;
}

/**
 * Pairs for a dataset with REAL masked photos: references are drawn from the unmasked folder, probes from the
 * masked folder (paths relative to it). Only identities present in both take part; identities are dealt to folds
 * as in {@link generatePairs}; authentic = unmasked and masked photo of one person, imposter = unmasked photo of
 * one person and masked photo of another in the same fold.
 *
 * @example
 * const pairs = generateRealMaskPairs(await listIdentities(root), await listIdentities(maskedDir), { folds: 5 });
 */
export function generateRealMaskPairs(
  unmasked: readonly IdentityImages[],
  masked: readonly IdentityImages[],
  options: GeneratePairsOptions = {},
): Pair[] {
  const folds = options.folds ?? 10;
  const perFold = options.authenticPerFold ?? 300;
  const maskedById = new Map(masked.map((m) => [m.identity, m.images]));
  const both = unmasked.filter((u) => maskedById.has(u.identity));
  if (both.length < 2 * folds) {
    throw new Error(
      `generateRealMaskPairs: ${both.length} identities have both unmasked and masked photos; ${folds} folds need ${2 * folds}.`,
    );
  }
  const rng = createRng(options.seed ?? 1);
  const shuffled = rng.shuffle(both.slice());
  const pairs: Pair[] = [];
  for (let f = 0; f < folds; f++) {
    const foldRng = rng.fork(f);
    const members = shuffled.filter((_, i) => i % folds === f);
    const seen = new Set<string>();
    const draw = (label: 0 | 1, count: number) => {
      const out: Pair[] = [];
      for (let attempts = 0; out.length < count && attempts < count * 50; attempts++) {
        const [a, b] = label === 1 ? [foldRng.pick(members), null] : foldRng.sample(members, 2);
        const reference = foldRng.pick(a.images);
        const probe = foldRng.pick(maskedById.get((b ?? a).identity)!);
        const key = `${reference}\t${probe}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ reference, probe, label, fold: f + 1 });
      }
      return out;
    };
    const authentic = draw(1, perFold);
    const imposter = draw(0, authentic.length);
    const n = Math.min(authentic.length, imposter.length);
    pairs.push(...authentic.slice(0, n), ...imposter.slice(0, n));
  }
  return pairs;
}
