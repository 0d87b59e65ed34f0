/**
 * The trained model that ships with this package (`packages/siamese/models/`): a Siamese head on the frozen
 * faceres embedder, with thresholds calibrated on people it never trained on. See its MODEL_CARD.md.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MatcherThreshold } from './matcher/types.js';

/** The name of the shipped model (its folder under `models/`). */
export const SHIPPED_MODEL = 'faceres-masked-head-v1';

/**
 * The folder of a model that ships in `models/` (resolved from this file in the sources and in the builds).
 *
 * @example
 * shippedModelDir(); // '/…/node_modules/@mfr/siamese/models/faceres-masked-head-v1'
 */
export function shippedModelDir(name: string = SHIPPED_MODEL): string {
  // this file sits one level below the package root both as src/shipped-model.ts and bundled as dist/index.js
  return fileURLToPath(new URL(`../models/${name}`, import.meta.url));
}

/** `calibration.json` of a model folder: its thresholds at given false accept rates, and how they were measured. */
export interface Calibration {
  thresholds: MatcherThreshold[];
  /** Where the thresholds were measured (people the model never trained on). */
  measuredOn: string;
}

/**
 * Reads a model folder's `calibration.json`; errors say what is missing and how to make it.
 *
 * @example
 * const { thresholds } = await readCalibration(shippedModelDir());
 */
export async function readCalibration(dir: string): Promise<Calibration> {
  const file = join(dir, 'calibration.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(
      `Model folder "${dir}" has no calibration.json, so the matcher has no threshold. Calibrate it on people it ` +
        'never trained on (packages/benchmark/bench/calibrate-matcher.ts) or pass thresholds to createMatcher.',
    );
  }
  const calibration = JSON.parse(text) as Calibration;
  if (!Array.isArray(calibration.thresholds) || calibration.thresholds.length === 0) {
    throw new Error(`${file}: expected { "thresholds": [{ "far": 0.01, "threshold": ... }], ... }`);
  }
  return calibration;
}
