/**
 * ResNet-18/34 (basic blocks) and ResNet-50 (bottleneck blocks) of He et al. (2016), torchvision layout:
 * 7x7/2 stem conv + 3x3/2 max-pool, four stages with stride 2 at the start of stages 2-4 (on the 3x3 conv of a
 * bottleneck, "v1.5"), 1x1 projection shortcuts where the shape changes, global average pooling.
 * The total stride is 32, so a 32 px input reaches the last stage at 1x1 ('same' padding rounds up).
 * ResNet-18 with widths 32-64-128-256 has 2.80M parameters (2.83M with a 100-class classifier head).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as layers from '@tensorflow/tfjs-layers';
import { embeddingHead, imageInput, LayerFactory } from './blocks.js';
import type { BackboneOptions } from './types.js';

type Sym = tfl.SymbolicTensor;

/** Blocks per stage. */
export const RESNET_DEPTHS = {
  resnet18: [2, 2, 2, 2],
  resnet34: [3, 4, 6, 3],
  resnet50: [3, 4, 6, 3],
} as const;

export const DEFAULT_RESNET_WIDTHS = [64, 128, 256, 512] as const;

function basicBlock(f: LayerFactory, x: Sym, name: string, width: number, strides: number): Sym {
  const inWidth = x.shape[3] as number;
  const a = f.convNormRelu(x, `${name}_1`, width, 3, strides);
  const b = f.norm(f.conv(a, `${name}_2_conv`, width, 3), `${name}_2_norm`);
  const shortcut =
    strides !== 1 || inWidth !== width
      ? f.norm(f.conv(x, `${name}_shortcut_conv`, width, 1, strides), `${name}_shortcut_norm`)
      : x;
  return f.relu(f.add(b, shortcut, `${name}_add`), `${name}_out`);
}

function bottleneckBlock(f: LayerFactory, x: Sym, name: string, width: number, strides: number): Sym {
  const inWidth = x.shape[3] as number;
  const outWidth = width * 4;
  const a = f.convNormRelu(x, `${name}_1`, width, 1);
  const b = f.convNormRelu(a, `${name}_2`, width, 3, strides);
  const c = f.norm(f.conv(b, `${name}_3_conv`, outWidth, 1), `${name}_3_norm`);
  const shortcut =
    strides !== 1 || inWidth !== outWidth
      ? f.norm(f.conv(x, `${name}_shortcut_conv`, outWidth, 1, strides), `${name}_shortcut_norm`)
      : x;
  return f.relu(f.add(c, shortcut, `${name}_add`), `${name}_out`);
}

/**
 * Builds a ResNet as a tfjs-layers functional model (see {@link createBackbone} for the options).
 *
 * @example
 * const model = buildResNet({ arch: 'resnet18', inputSize: 64, widths: [32, 64, 128, 256] });
 * model.outputs[0].shape; // [null, 256]
 */
export function buildResNet(
  options: BackboneOptions & { arch: keyof typeof RESNET_DEPTHS },
): tfl.LayersModel {
  const widths = options.widths ?? DEFAULT_RESNET_WIDTHS;
  if (widths.length !== 4 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`createBackbone: widths must be 4 positive integers (one per stage), got [${widths}].`);
  }
  const f = new LayerFactory(options.seed ?? 0, options.normalization ?? 'batch');
  const block = options.arch === 'resnet50' ? bottleneckBlock : basicBlock;
  const input = imageInput(options.inputSize);
  let x = f.convNormRelu(input, 'stem', widths[0], 7, 2);
  x = layers.layers
    .maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: 'same' })
    .apply(x) as Sym;
  RESNET_DEPTHS[options.arch].forEach((blocks, stage) => {
    for (let b = 0; b < blocks; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      x = block(f, x, `stage${stage + 1}_block${b + 1}`, widths[stage], strides);
    }
  });
  const output = embeddingHead(f, x, options.embeddingDim);
  return layers.model({ inputs: input, outputs: output, name: options.arch });
}
