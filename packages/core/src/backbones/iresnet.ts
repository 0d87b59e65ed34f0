/**
 * IResNet-18/34/50/100: the ResNets of face recognition (ArcFace / InsightFace, Deng et al. 2019), built from basic
 * blocks for every depth: blocks per stage [2,2,2,2], [3,4,6,3], [3,4,14,3], [3,13,30,3].
 *
 * Layout: stem conv 3x3 stride 1 + BN + ReLU (PReLU with `activation: 'prelu'`), no max-pool; four stages whose
 * first block has stride 2 and a 1x1 conv + BN projection shortcut (stage 1 included), so the total stride is 16
 * (112 px -> 7x7, 64 px -> 4x4). Block: conv3x3(stride) -> BN -> act -> conv3x3 -> BN, add the shortcut, act.
 * (InsightFace's own IBasicBlock puts a BN before the first conv and no activation after the add; its head and
 * depths are the same.) Heads: `'pool'` (default) global average pooling, then a dense projection to
 * `embeddingDim` when given; `'arcface'` BN -> dropout -> flatten -> dense(`embeddingDim`, default 512) -> BN
 * without scale (the InsightFace embedding head).
 *
 * With widths [32, 64, 128, 256] and embeddingDim 128 (pool head) IResNet-18 has 2,833,888 parameters: the network
 * `pnpm bench core` times against Keras and PyTorch (packages/core/bench/anchors/).
 *
 * Batch norm: with `normalization: 'batch'` (default) every BN (and the ReLU and residual add that follow it) is a
 * {@link BatchNormAct} layer, which trains through TensorFlow's fused kernels on tfjs-node; `fusedBatchNorm: false`
 * builds the same network from tfjs-layers' BatchNormalization, ReLU and Add layers instead (same weight names,
 * same numbers).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as layers from '@tensorflow/tfjs-layers';
import { BatchNormAct } from './batch_norm_act.js';
import { embeddingHead, imageInput, LayerFactory } from './blocks.js';
import type { BackboneOptions } from './types.js';

type Sym = tfl.SymbolicTensor;

/** Blocks per stage (all basic blocks). */
export const IRESNET_DEPTHS = {
  iresnet18: [2, 2, 2, 2],
  iresnet34: [3, 4, 6, 3],
  iresnet50: [3, 4, 14, 3],
  iresnet100: [3, 13, 30, 3],
} as const;

/** Stage widths of ArcFace's IResNets. */
export const DEFAULT_IRESNET_WIDTHS = [64, 128, 256, 512] as const;

// Norm (+ residual add) (+ activation) in one of the two equivalent forms.
class Builder {
  constructor(
    readonly f: LayerFactory,
    private readonly fused: boolean,
    private readonly prelu: boolean,
  ) {}

  private act(x: Sym, name: string): Sym {
    if (!this.prelu) return this.f.relu(x, name);
    return layers.layers
      .prelu({ name, sharedAxes: [1, 2], alphaInitializer: layers.initializers.constant({ value: 0.25 }) })
      .apply(x) as Sym;
  }

  /** act(norm(x) + residual); `${name}_norm` holds the BN weights in both forms. */
  normAct(
    x: Sym,
    name: string,
    opts: { act: boolean; residual?: Sym; addName?: string; actName: string },
  ): Sym {
    if (this.fused) {
      const relu = opts.act && !this.prelu;
      const inputs = opts.residual ? [x, opts.residual] : x;
      const y = new BatchNormAct({ name: `${name}_norm`, momentum: 0.9, epsilon: 1e-5, relu }).apply(
        inputs,
      ) as Sym;
      return opts.act && this.prelu ? this.act(y, opts.actName) : y;
    }
    let y = this.f.norm(x, `${name}_norm`);
    if (opts.residual) y = this.f.add(y, opts.residual, opts.addName ?? `${name}_add`);
    return opts.act ? this.act(y, opts.actName) : y;
  }
}

function basicBlock(b: Builder, x: Sym, name: string, width: number, strides: number): Sym {
  const inWidth = x.shape[3] as number;
  const a = b.normAct(b.f.conv(x, `${name}_1_conv`, width, 3, strides), `${name}_1`, {
    act: true,
    actName: `${name}_1_relu`,
  });
  const shortcut =
    strides !== 1 || inWidth !== width
      ? b.normAct(b.f.conv(x, `${name}_shortcut_conv`, width, 1, strides), `${name}_shortcut`, {
          act: false,
          actName: '',
        })
      : x;
  return b.normAct(b.f.conv(a, `${name}_2_conv`, width, 3), `${name}_2`, {
    act: true,
    residual: shortcut,
    addName: `${name}_add`,
    actName: `${name}_out`,
  });
}

/**
 * Builds an IResNet as a tfjs-layers functional model (see {@link createBackbone} for the options).
 *
 * @example
 * const model = buildIResNet({ arch: 'iresnet18', inputSize: 64, widths: [32, 64, 128, 256], embeddingDim: 128 });
 * model.countParams(); // 2833888
 */
export function buildIResNet(
  options: BackboneOptions & { arch: keyof typeof IRESNET_DEPTHS },
): tfl.LayersModel {
  const widths = options.widths ?? DEFAULT_IRESNET_WIDTHS;
  if (widths.length !== 4 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`createBackbone: widths must be 4 positive integers (one per stage), got [${widths}].`);
  }
  const head = options.head ?? 'pool';
  if (head !== 'pool' && head !== 'arcface') {
    throw new Error(`createBackbone: head must be 'pool' or 'arcface', got "${head}".`);
  }
  const activation = options.activation ?? 'relu';
  if (activation !== 'relu' && activation !== 'prelu') {
    throw new Error(`createBackbone: activation must be 'relu' or 'prelu', got "${activation}".`);
  }
  const dropout = options.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) {
    throw new Error(`createBackbone: dropout must be a rate in [0, 1), got ${dropout}.`);
  }
  const normalization = options.normalization ?? 'batch';
  const f = new LayerFactory(options.seed ?? 0, normalization);
  const b = new Builder(
    f,
    normalization === 'batch' && options.fusedBatchNorm !== false,
    activation === 'prelu',
  );
  const input = imageInput(options.inputSize);
  let x = b.normAct(f.imageConv(input, 'stem_conv', widths[0], 3, 1), 'stem', {
    act: true,
    actName: 'stem_relu',
  });
  IRESNET_DEPTHS[options.arch].forEach((blocks, stage) => {
    for (let i = 0; i < blocks; i++) {
      x = basicBlock(b, x, `stage${stage + 1}_block${i + 1}`, widths[stage], i === 0 ? 2 : 1);
    }
  });
  let output: Sym;
  if (head === 'pool') {
    output = embeddingHead(f, x, options.embeddingDim);
  } else {
    const dim = options.embeddingDim ?? 512;
    if (!Number.isInteger(dim) || dim < 1) {
      throw new Error(`createBackbone: embeddingDim must be a positive integer, got ${dim}.`);
    }
    let h = f.norm(x, 'head_norm');
    if (dropout > 0) h = layers.layers.dropout({ name: 'head_dropout', rate: dropout }).apply(h) as Sym;
    h = layers.layers.flatten({ name: 'head_flatten' }).apply(h) as Sym;
    h = f.dense(h, 'embedding', dim);
    output = layers.layers
      .batchNormalization({ name: 'embedding_norm', momentum: 0.9, epsilon: 1e-5, scale: false })
      .apply(h) as Sym;
  }
  return layers.model({ inputs: input, outputs: output, name: options.arch });
}
