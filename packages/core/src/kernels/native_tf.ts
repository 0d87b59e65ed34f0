/**
 * Access to TensorFlow's own ops through tfjs-node's op executor, for the few places where one native op replaces
 * many tfjs ops (fused batch norm forward and backward, ReLU's gradient).
 *
 * Browser-safe: nothing here imports tfjs-node. The executor is reached through the active backend object, and only
 * when that backend is tfjs-node's ('tensorflow', also the name tfjs-node-gpu registers). Everywhere else
 * {@link nativeTensorFlow} returns null and callers take their plain tfjs path.
 *
 * @example
 * const native = nativeTensorFlow();
 * const dx = native ? native.reluGrad(dy, x) : tf.mul(dy, tf.step(x));
 */
import * as tf from '@tensorflow/tfjs-core';

interface OpAttr {
  name: string;
  type: number;
  value: number | boolean | string | number[];
}

// The parts of tfjs-node's NodeJSKernelBackend used here (public methods of that class).
interface NodeJsBackend {
  binding: {
    TF_ATTR_TYPE: number;
    TF_ATTR_FLOAT: number;
    TF_ATTR_STRING: number;
    TF_ATTR_BOOL: number;
    TF_FLOAT: number;
  };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[], count: number): tf.Tensor[];
}

/** Outputs of TensorFlow's `FusedBatchNormV3` in training mode (CPU and GPU kernels). */
export interface NativeBatchNormTraining {
  y: tf.Tensor4D;
  /** Batch mean per channel. */
  mean: tf.Tensor1D;
  /** Batch variance per channel, Bessel-corrected (n / (n - 1)) as TensorFlow returns it. */
  unbiasedVariance: tf.Tensor1D;
  /** Opaque tensors the gradient op needs (device-specific contents). */
  reserve: [tf.Tensor, tf.Tensor, tf.Tensor];
}

/** TensorFlow ops run natively by tfjs-node. All tensors are float32 NHWC. */
export interface NativeTensorFlowOps {
  /** `FusedBatchNormV3`, is_training = true: normalises with the batch's own statistics. */
  fusedBatchNormTraining(
    x: tf.Tensor4D,
    scale: tf.Tensor1D,
    offset: tf.Tensor1D,
    epsilon: number,
  ): NativeBatchNormTraining;
  /** `FusedBatchNormGradV3`, is_training = true: [dx, dscale, doffset]. */
  fusedBatchNormTrainingGrad(
    dy: tf.Tensor4D,
    x: tf.Tensor4D,
    scale: tf.Tensor1D,
    reserve: readonly [tf.Tensor, tf.Tensor, tf.Tensor],
    epsilon: number,
  ): [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
  /** `Relu`. */
  relu<T extends tf.Tensor>(x: T): T;
  /** `ReluGrad`: dy where features > 0, else 0 (features: the ReLU's input or output). */
  reluGrad<T extends tf.Tensor>(dy: T, features: tf.Tensor): T;
  /** `AddV2`, same shapes. */
  add<T extends tf.Tensor>(a: T, b: T): T;
}

function opsFor(backend: NodeJsBackend): NativeTensorFlowOps {
  const b = backend.binding;
  const float = (name: string): OpAttr => ({ name, type: b.TF_ATTR_TYPE, value: b.TF_FLOAT });
  const bnAttrs = (epsilon: number): OpAttr[] => [
    float('T'),
    float('U'),
    { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: b.TF_ATTR_BOOL, value: true },
  ];
  return {
    fusedBatchNormTraining(x, scale, offset, epsilon) {
      // in training with exponential_avg_factor 1 the mean and variance inputs must be empty
      const empty = tf.tensor1d([], 'float32');
      const out = backend.executeMultipleOutputs(
        'FusedBatchNormV3',
        [...bnAttrs(epsilon), { name: 'exponential_avg_factor', type: b.TF_ATTR_FLOAT, value: 1 }],
        [x, scale, offset, empty, empty],
        6,
      );
      empty.dispose();
      return {
        y: out[0] as tf.Tensor4D,
        mean: out[1] as tf.Tensor1D,
        unbiasedVariance: out[2] as tf.Tensor1D,
        reserve: [out[3], out[4], out[5]],
      };
    },
    fusedBatchNormTrainingGrad(dy, x, scale, reserve, epsilon) {
      const out = backend.executeMultipleOutputs(
        'FusedBatchNormGradV3',
        bnAttrs(epsilon),
        [dy, x, scale, ...reserve],
        5,
      );
      tf.dispose([out[3], out[4]]); // reserve_space_4/5: unused placeholders
      return [out[0] as tf.Tensor4D, out[1] as tf.Tensor1D, out[2] as tf.Tensor1D];
    },
    relu(x) {
      return backend.executeSingleOutput('Relu', [float('T')], [x]) as typeof x;
    },
    reluGrad(dy, features) {
      return backend.executeSingleOutput('ReluGrad', [float('T')], [dy, features]) as typeof dy;
    },
    add(a, c) {
      return backend.executeSingleOutput('AddV2', [float('T')], [a, c]) as typeof a;
    },
  };
}

const cache = new WeakMap<object, NativeTensorFlowOps>();

/**
 * The native TensorFlow ops when the active backend is tfjs-node's ('tensorflow'), else null. Set
 * `MFR_NATIVE_OPS=0` to turn them off (the plain tfjs path then runs on tfjs-node too, for comparisons).
 *
 * @example
 * if (nativeTensorFlow() == null) console.log('plain tfjs ops on', tf.getBackend());
 */
export function nativeTensorFlow(): NativeTensorFlowOps | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  if (typeof process !== 'undefined' && process.env?.MFR_NATIVE_OPS === '0') return null;
  const backend = tf.backend() as unknown as Partial<NodeJsBackend>;
  if (typeof backend.executeMultipleOutputs !== 'function' || backend.binding == null) return null;
  let ops = cache.get(backend);
  if (ops == null) {
    ops = opsFor(backend as NodeJsBackend);
    cache.set(backend, ops);
  }
  return ops;
}
