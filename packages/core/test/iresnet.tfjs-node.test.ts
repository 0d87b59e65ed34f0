/**
 * The fused batch-norm path on tfjs-node (TensorFlow's FusedBatchNormV3 / FusedBatchNormGradV3 / ReluGrad through
 * the backend's op executor) against the tfjs-layers form of the same network. Needs the tfjs-node binding
 * (`../shared/tools/tfjs-node-from-wheel packages/core`); without it the test is reported as skipped, with that
 * reason, and the wasm test (iresnet.test.ts) still checks both forms' equality on the plain path.
 */
import { initBackend, nativeTensorFlow } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compareIResNetGradients } from './iresnet_grads.js';

const unavailable = await initBackend({ backend: 'tensorflow' }).then(
  () => null,
  (error: Error) => error.message,
);
if (unavailable) {
  process.stderr.write(
    `iresnet.tfjs-node.test.ts: SKIPPED, tfjs-node is not available (${unavailable}). ` +
      'Build it with ../shared/tools/tfjs-node-from-wheel packages/core to run this test.\n',
  );
}

describe('iresnet on tfjs-node (native fused batch norm)', () => {
  it.skipIf(unavailable != null)(
    'gradients and moving statistics equal the tfjs-layers form within 1e-4 (relative to each tensor max)',
    () => {
      expect(nativeTensorFlow()).not.toBeNull();
      const before = tf.memory().numTensors;
      const r = compareIResNetGradients();
      expect(r.mismatched).toEqual([]);
      expect(r.compared).toBe(107);
      // float32 rounding of TensorFlow's own mean/variance reductions; measured ~1e-5 (gradients), ~2e-6 (stats)
      expect(r.maxRelativeGradError).toBeLessThanOrEqual(1e-4);
      expect(r.maxRelativeStatError).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(r.losses[0] - r.losses[1])).toBeLessThanOrEqual(1e-4 * Math.abs(r.losses[1]) + 1e-6);
      expect(tf.memory().numTensors).toBe(before);
      // and the composite path on tfjs-node (native ops off) too; measured 5e-6
      process.env.MFR_NATIVE_OPS = '0';
      try {
        expect(nativeTensorFlow()).toBeNull();
        const composite = compareIResNetGradients();
        expect(composite.mismatched).toEqual([]);
        expect(composite.maxRelativeGradError).toBeLessThanOrEqual(1e-4);
      } finally {
        delete process.env.MFR_NATIVE_OPS;
      }
    },
  );
});
