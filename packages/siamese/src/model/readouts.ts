/**
 * The three similarity readouts of a Siamese model. Each is in [0, 1]; higher means more likely the same person.
 *
 * - `output`: sigmoid of the head's final logit.
 * - `fc512`: `1 / (1 + ||h1 - h2||)` where `h_i = sigmoid(W * concat(|e_i|, e_i^2) + b)` is the head's hidden
 *   (512-unit) layer applied to side i's distance features against the origin (the pair `(e_i, 0)`), i.e. the
 *   same layer and weights as in the head, fed from one side only. Identical embeddings give identical `h`,
 *   so distance 0 and similarity 1.
 * - `embedding`: `1 / (1 + ||e1 - e2||)` between the prepared embeddings (by default L2-normalised; for a model
 *   with an adapter, the adapted ones).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isEnsemble, type SiameseEnsemble } from './ensemble.js';
import { distanceToSimilarity, rowDistance, sideFeatures } from './features.js';
import type { SiameseModel } from './siamese.js';

/** Which similarity to read from a Siamese model. */
export type Readout = 'output' | 'fc512' | 'embedding';

/** All readouts, in the order the paper lists them. */
export const READOUTS: readonly Readout[] = ['output', 'fc512', 'embedding'];

/** Checks a readout name (e.g. from a command line) and returns it. */
export function parseReadout(name: string): Readout {
  if ((READOUTS as readonly string[]).includes(name)) return name as Readout;
  throw new Error(`Unknown readout "${name}". Use one of: ${READOUTS.join(', ')}.`);
}

/**
 * The per-side hidden activations `[n, headUnits]` the `fc512` readout compares.
 *
 * @example
 * const h = hiddenActivations(model, embeddings); // [n, 512]
 */
export function hiddenActivations(model: SiameseModel, embeddings: tf.Tensor2D): tf.Tensor2D {
  const hidden = model.head.layers[0] as tfl.layers.Layer;
  return tf.tidy(() => hidden.apply(sideFeatures(embeddings)) as tf.Tensor2D);
}

/**
 * Similarities `[n]` between row i of `e1` and row i of `e2` (prepared embeddings, see
 * `model.prepareEmbedding`, or an ensemble's from `embedFace`: the mean of its members' similarities).
 * The caller disposes the result.
 *
 * @example
 * const s = readoutSimilarity(model, refEmb, probeEmb, 'fc512');
 */
export function readoutSimilarity(
  model: SiameseModel | SiameseEnsemble,
  e1: tf.Tensor2D,
  e2: tf.Tensor2D,
  readout: Readout,
): tf.Tensor1D {
  if (isEnsemble(model)) return ensembleSimilarity(model, e1, e2, readout);
  return tf.tidy(() => {
    switch (readout) {
      case 'output':
        return tf.sigmoid(model.logits(e1, e2)) as tf.Tensor1D;
      case 'fc512':
        return distanceToSimilarity(rowDistance(hiddenActivations(model, e1), hiddenActivations(model, e2)));
      case 'embedding':
        return distanceToSimilarity(rowDistance(e1, e2));
      default:
        throw new Error(`readoutSimilarity: unknown readout "${readout as string}"`);
    }
  });
}

/** Width of a model's prepared embedding (the adapter's, when it has one). */
function preparedWidth(model: SiameseModel): number {
  return model.config.adapterUnits ?? model.config.embeddingDim;
}

function ensembleSimilarity(
  ensemble: SiameseEnsemble,
  e1: tf.Tensor2D,
  e2: tf.Tensor2D,
  readout: Readout,
): tf.Tensor1D {
  const widths = ensemble.members.map(preparedWidth);
  const total = widths.reduce((a, b) => a + b, 0);
  for (const [side, e] of [e1, e2].entries()) {
    if (e.shape[1] !== total) {
      throw new Error(
        `readoutSimilarity: embeddings ${side + 1} have ${e.shape[1]} values; the ensemble's members take ` +
          `${widths.join(' + ')} = ${total} (embed faces with embedFace(ensemble, ...))`,
      );
    }
  }
  return tf.tidy(() => {
    const [parts1, parts2] = [tf.split(e1, widths, 1), tf.split(e2, widths, 1)];
    const each = ensemble.members.map((m, i) =>
      readoutSimilarity(m, parts1[i] as tf.Tensor2D, parts2[i] as tf.Tensor2D, readout),
    );
    return tf.div(tf.addN(each), each.length) as tf.Tensor1D;
  });
}
