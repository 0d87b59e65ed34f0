/**
 * Analytic FLOP counts of a tfjs-layers model's convolution and dense layers (1 multiply-add = 2 FLOPs).
 * Other layers (norm, activation, pooling, add) are ignored: they are memory-bound and small in comparison.
 */
import type * as tfl from '@tensorflow/tfjs-layers';

function shapeOf(s: tfl.Shape | tfl.Shape[]): number[] {
  const one = (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
  return one.map((d) => d ?? 1);
}

/**
 * Forward FLOPs for one image.
 *
 * @example
 * const gflop = forwardFlopsPerImage(model) / 1e9;
 */
export function forwardFlopsPerImage(model: tfl.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'ImageConv2D' && cls !== 'DepthwiseConv2D' && cls !== 'Dense') continue;
    const out = shapeOf(layer.outputShape);
    // the kernel is the first weight: [in, out] for dense, [kh, kw, Cin, Cout] or [kh, kw, C, mult] for convs
    const kernelSize = (layer.weights[0].shape as number[]).reduce((a, b) => a * b, 1);
    // a conv applies its whole kernel once per output pixel (true for depthwise too)
    const pixels = cls === 'Dense' ? 1 : out[1] * out[2];
    flops += 2 * pixels * kernelSize;
  }
  return flops;
}
