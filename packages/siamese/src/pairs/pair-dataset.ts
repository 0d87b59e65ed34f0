/**
 * A pair dataset as data: an unmasked folder-per-identity dataset plus its masked copy, grouped by identity.
 * References are unmasked photos; probes are masked photos. Reading one from folders is in dataset.ts (Node).
 */
import type { Rng } from '@mfr/core';

/** A masked probe image and the unmasked photo it was made from. */
export interface Probe {
  path: string;
  source: string;
  /** 68-point landmarks of the source face, when the manifest has them (the masked copy shares its geometry). */
  landmarks68?: [number, number][];
}

/** One identity's unmasked references and masked probes. */
export interface PairIdentity {
  id: string;
  references: string[];
  probes: Probe[];
}

/** An unmasked dataset and its masked copy, grouped by identity (sorted by id for reproducibility). */
export interface PairDataset {
  name: string;
  identities: PairIdentity[];
}

/** Number of masked probes in a dataset (its size for uniform sampling). */
export function probeCount(ds: PairDataset): number {
  let n = 0;
  for (const identity of ds.identities) n += identity.probes.length;
  return n;
}

/**
 * Splits a dataset by identity (never by image): a `fraction` of the identities that have probes, chosen
 * with `rng`, goes to the held-out part.
 *
 * @example
 * const { train, heldOut } = splitPairDataset(lfw, 0.1, createRng(1));
 */
export function splitPairDataset(
  ds: PairDataset,
  fraction: number,
  rng: Rng,
): { train: PairDataset; heldOut: PairDataset } {
  if (!(fraction >= 0 && fraction < 1))
    throw new Error(`splitPairDataset: fraction must be in [0, 1), got ${fraction}`);
  const withProbes = ds.identities.filter((i) => i.probes.length > 0).map((i) => i.id);
  const held = new Set(rng.sample(withProbes, Math.round(withProbes.length * fraction)));
  return {
    train: { name: ds.name, identities: ds.identities.filter((i) => !held.has(i.id)) },
    heldOut: { name: ds.name, identities: ds.identities.filter((i) => held.has(i.id)) },
  };
}

/** Options for {@link limitPairDataset}. */
export interface LimitPairDatasetOptions {
  /** Keep at most this many identities (those with probes are chosen first, at random). Default: all. */
  maxIdentities?: number;
  /** Keep at most this many photos per identity (in file order). Default: all. */
  maxImagesPerIdentity?: number;
  /** Drop identities with fewer photos than this (2 = authentic pairs always use a different photo). Default 1. */
  minImagesPerIdentity?: number;
}

/**
 * A seeded subset of a pair dataset, for runs that must fit a time budget. Probes whose source photo is dropped
 * are dropped too.
 *
 * @example
 * const small = limitPairDataset(lfw, { maxIdentities: 500, maxImagesPerIdentity: 4 }, createRng(1));
 */
export function limitPairDataset(ds: PairDataset, options: LimitPairDatasetOptions, rng: Rng): PairDataset {
  const maxIds = options.maxIdentities ?? Number.POSITIVE_INFINITY;
  const maxImages = options.maxImagesPerIdentity ?? Number.POSITIVE_INFINITY;
  const minImages = options.minImagesPerIdentity ?? 1;
  const eligible = ds.identities.filter((i) => i.references.length >= minImages);
  const withProbes = eligible.filter((i) => i.probes.length > 0);
  const without = eligible.filter((i) => i.probes.length === 0);
  const pickFrom = (list: PairIdentity[], k: number) =>
    k >= list.length ? list : rng.sample(list, Math.max(0, k));
  const kept = new Set(
    [...pickFrom(withProbes, maxIds), ...pickFrom(without, maxIds - withProbes.length)].map((i) => i.id),
  );
  const identities = ds.identities
    .filter((i) => kept.has(i.id))
    .map((i) => {
      const references = i.references.slice(0, maxImages);
      const allowed = new Set(references);
      return { id: i.id, references, probes: i.probes.filter((p) => allowed.has(p.source)) };
    });
  return { name: ds.name, identities };
}
