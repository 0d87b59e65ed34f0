/**
 * The trained model that ships with this package (`packages/siamese/models/`): an averaging ensemble of three
 * Siamese heads (each with its adapter) on the frozen faceres embedder fused with face-api's descriptor, with
 * thresholds calibrated on people it never trained on. See its MODEL_CARD.md. In Node
 * `shippedModelDir()` (`@mfr/siamese/node`) finds it; a page serves the folder and passes its URL.
 */
import { joinLocation, readJsonFrom } from '@mfr/core';
import type { MatcherThreshold } from './matcher/types.js';

/** The name of the shipped model (its folder under `models/`). */
export const SHIPPED_MODEL = 'faceres-faceapi-masked-heads-v4';

/** `calibration.json` of a model folder: its thresholds at given false accept rates, and how they were measured. */
export interface Calibration {
  thresholds: MatcherThreshold[];
  /** Where the thresholds were measured (people the model never trained on). */
  measuredOn: string;
}

/**
 * Reads a model folder's `calibration.json` (a path in Node, or a URL); errors say what is missing and how to
 * make it.
 *
 * @example
 * const { thresholds } = await readCalibration('/models/faceres-faceapi-masked-heads-v4');
 */
export async function readCalibration(dir: string): Promise<Calibration> {
  const file = joinLocation(dir, 'calibration.json');
  let calibration: Calibration;
  try {
    calibration = await readJsonFrom<Calibration>(file);
  } catch (error) {
    throw new Error(
      `Model folder "${dir}": cannot read calibration.json (${(error as Error).message}), so the matcher has no ` +
        'threshold. Calibrate it on people it never trained on (packages/benchmark/bench/calibrate-matcher.ts) ' +
        'or pass thresholds to createMatcher.',
    );
  }
  if (!Array.isArray(calibration.thresholds) || calibration.thresholds.length === 0) {
    throw new Error(`${file}: expected { "thresholds": [{ "far": 0.01, "threshold": ... }], ... }`);
  }
  return calibration;
}
