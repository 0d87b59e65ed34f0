/** Parameter counting and partial freezing of backbone models. */
import type * as tfl from '@tensorflow/tfjs-layers';

export interface CountParamsOptions {
  /** Count only trainable weights. Default false (all weights, including batch-norm moving statistics). */
  trainableOnly?: boolean;
}

/**
 * Number of scalar parameters in the model.
 *
 * @example
 * countParams(createBackbone({ arch: 'resnet18', inputSize: 64, widths: [32, 64, 128, 256] })); // 2803680
 */
export function countParams(model: tfl.LayersModel, options: CountParamsOptions = {}): number {
  const weights = options.trainableOnly ? model.trainableWeights : model.weights;
  return weights.reduce((total, w) => total + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}

/**
 * Freezes the first `fraction` of the layers that have weights (in model order, input to output): the first
 * `Math.floor(fraction * n)` of those n layers become non-trainable and the rest trainable. Returns how many were
 * frozen. Recompile a model used with `fit()` afterwards; custom loops see the change at once.
 *
 * @example
 * const frozen = freezeFraction(model, 0.5); // lower half of the backbone fixed during fine-tuning
 */
export function freezeFraction(model: tfl.LayersModel, fraction: number): number {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new Error(`freezeFraction: fraction must be a number in [0, 1], got ${fraction}.`);
  }
  const weighted = model.layers.filter((layer) => layer.weights.length > 0);
  const count = Math.floor(fraction * weighted.length + 1e-9);
  weighted.forEach((layer, i) => {
    layer.trainable = i >= count;
  });
  return count;
}
