/**
 * Training and validation image lists for pre-training: identity folders from one or more datasets, a
 * held-out validation split by identity, and each image's masked copy where the masking job made one.
 * Only paths are held in memory; pixels are streamed by `batches.ts`.
 */
import { resolve } from 'node:path';
import { createRng, validationHoldout } from '@mfr/core';
import { scanDataset } from '@mfr/core/node';
import { matchMaskedCopies, readMaskedCopies } from './mask_manifest.js';

/** One image of the pre-training set. */
export interface PretrainImage {
  /** Absolute path of the (unmasked) image. */
  path: string;
  /** Identity label, `<dataset>/<identity>` (used only to split and to validate; MoCo ignores labels). */
  identity: string;
  /** Absolute path of its synthetic masked copy, if any. */
  maskedPath?: string;
}

/** Options for {@link collectPretrainImages}. */
export interface CollectPretrainImagesOptions {
  /** Dataset folders (`<dir>/<identity>/<image>`). */
  data: readonly string[];
  /** Masked output folders of the masking job (each with a `manifest.jsonl`). Default none. */
  masked?: readonly string[];
  /** Skip identities with fewer images. Default 1. */
  minImagesPerIdentity?: number;
  /**
   * Identities held out for validation (chosen among those with >= 2 images). Default: 100 on large datasets,
   * at most half of the identities on small ones, and none below 40 (see `validationHoldout` in @mfr/core).
   */
  valIdentities?: number;
  /** Seed of the validation split. Default 0. */
  seed?: number;
}

/** Training images and held-out validation images (disjoint identities). */
export interface PretrainImages {
  train: PretrainImage[];
  val: PretrainImage[];
  /** How many images have a masked copy, per split. */
  maskedCount: { train: number; val: number };
  /** What was held out for validation and why, in one line. */
  valReason: string;
}

/**
 * Scans the datasets, attaches masked copies and splits off validation identities.
 *
 * @example
 * const { train, val } = await collectPretrainImages({ data: ['../shared/datasets/lfw/images'], masked: ['.mfr-cache/masked/lfw'], minImagesPerIdentity: 5 });
 */
export async function collectPretrainImages(options: CollectPretrainImagesOptions): Promise<PretrainImages> {
  const { minImagesPerIdentity = 1, seed = 0 } = options;
  if (options.data.length === 0)
    throw new Error('collectPretrainImages: give at least one dataset folder in `data`.');
  const identities: { identity: string; paths: string[] }[] = [];
  for (const dir of options.data) {
    const dataset = await scanDataset(dir, { minImagesPerIdentity });
    for (const identity of dataset.identities) {
      identities.push({
        identity: `${dataset.name}/${identity.name}`,
        paths: identity.images.map((image) => resolve(dataset.root, image)),
      });
    }
  }
  if (identities.length === 0) {
    throw new Error(
      `collectPretrainImages: no identity folders with >= ${minImagesPerIdentity} images in ${options.data.join(', ')}`,
    );
  }
  const known = new Set(identities.flatMap((entry) => entry.paths));
  const maskedOf = new Map<string, string>();
  const inputDirs = options.data.map((dir) => resolve(dir));
  for (const dir of options.masked ?? []) {
    for (const [source, output] of matchMaskedCopies(readMaskedCopies(dir), inputDirs, known))
      maskedOf.set(source, output);
  }
  if ((options.masked?.length ?? 0) > 0 && maskedOf.size === 0) {
    throw new Error(
      `collectPretrainImages: no manifest entry in ${options.masked?.join(', ')} matches an image of ${options.data.join(', ')}; were they masked from these folders?`,
    );
  }
  const eligible = identities.filter((entry) => entry.paths.length >= 2).map((entry) => entry.identity);
  const holdout =
    options.valIdentities === undefined
      ? validationHoldout(eligible.length, { preferred: 100 })
      : {
          count: Math.min(options.valIdentities, Math.max(0, eligible.length - 1)),
          reason: `holding out ${Math.min(options.valIdentities, Math.max(0, eligible.length - 1))} of ${eligible.length} identities for validation (as asked)`,
        };
  const heldOut = new Set(createRng(seed).fork('val-split').sample(eligible, holdout.count));
  const train: PretrainImage[] = [];
  const val: PretrainImage[] = [];
  for (const { identity, paths } of identities) {
    for (const path of paths) {
      const maskedPath = maskedOf.get(path);
      (heldOut.has(identity) ? val : train).push(
        maskedPath ? { path, identity, maskedPath } : { path, identity },
      );
    }
  }
  const countMasked = (list: PretrainImage[]) => list.filter((image) => image.maskedPath).length;
  return {
    train,
    val,
    maskedCount: { train: countMasked(train), val: countMasked(val) },
    valReason: holdout.reason,
  };
}
