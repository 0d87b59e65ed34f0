/**
 * MobileNetV2 (Sandler et al., 2018): 3x3/2 stem, inverted residual blocks (1x1 expand, 3x3 depthwise, 1x1 linear
 * project, residual when shapes match), a final 1x1 conv to 1280 channels (1280 x widthMultiplier when it is
 * above 1), ReLU6 activations, global average pooling. Channel counts are rounded to multiples of 8 as in the
 * reference implementation. Total stride 32: a 32 px input ends at 1x1.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as layers from '@tensorflow/tfjs-layers';
import { embeddingHead, imageInput, LayerFactory } from './blocks.js';
import type { BackboneOptions } from './types.js';

type Sym = tfl.SymbolicTensor;

/** [expansion t, channels c, repeats n, first stride s] per stage, from the paper's Table 2. */
export const MOBILENETV2_STAGES: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** Rounds to the nearest multiple of 8, never dropping more than 10% (the reference `_make_divisible`). */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

function invertedResidual(
  f: LayerFactory,
  x: Sym,
  name: string,
  out: number,
  strides: number,
  t: number,
): Sym {
  const inWidth = x.shape[3] as number;
  let h = x;
  if (t !== 1) h = f.convNormRelu(h, `${name}_expand`, inWidth * t, 1, 1, 6);
  h = f.relu(f.norm(f.depthwise(h, `${name}_dw_conv`, strides), `${name}_dw_norm`), `${name}_dw_relu`, 6);
  h = f.norm(f.conv(h, `${name}_project_conv`, out, 1), `${name}_project_norm`);
  return strides === 1 && inWidth === out ? f.add(h, x, `${name}_add`) : h;
}

/**
 * Builds MobileNetV2 as a tfjs-layers functional model (see {@link createBackbone} for the options).
 *
 * @example
 * const model = buildMobileNetV2({ arch: 'mobilenetv2', inputSize: 96, widthMultiplier: 0.5 });
 */
export function buildMobileNetV2(options: BackboneOptions): tfl.LayersModel {
  const alpha = options.widthMultiplier ?? 1;
  if (!(alpha > 0) || !Number.isFinite(alpha)) {
    throw new Error(`createBackbone: widthMultiplier must be a positive number, got ${alpha}.`);
  }
  const f = new LayerFactory(options.seed ?? 0, options.normalization ?? 'batch');
  const input = imageInput(options.inputSize);
  let x = f.convNormRelu(input, 'stem', makeDivisible(32 * alpha), 3, 2, 6);
  MOBILENETV2_STAGES.forEach(([t, c, n, s], stage) => {
    for (let b = 0; b < n; b++) {
      x = invertedResidual(f, x, `block${stage + 1}_${b + 1}`, makeDivisible(c * alpha), b === 0 ? s : 1, t);
    }
  });
  x = f.convNormRelu(x, 'head', alpha > 1 ? makeDivisible(1280 * alpha) : 1280, 1, 1, 6);
  const output = embeddingHead(f, x, options.embeddingDim);
  return layers.model({ inputs: input, outputs: output, name: 'mobilenetv2' });
}
