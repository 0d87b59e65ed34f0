/**
 * Ensembles: the mean similarity of several Siamese models (the paper's final result is such an ensemble).
 * `embedFace` and `readoutSimilarity` also take an ensemble: its embedding of a face is every member's prepared
 * embedding side by side, and its similarity the members' mean.
 */
import { type ImageInput, type SimilarityOptions, similarity } from './embed.js';
import type { SiameseModel } from './siamese.js';

/** A set of models whose similarities are averaged. */
export interface SiameseEnsemble {
  readonly kind: 'ensemble';
  readonly members: readonly SiameseModel[];
  /** Mean over members of `similarity(member, references, probes, options)`. */
  similarity(references: ImageInput, probes: ImageInput, options?: SimilarityOptions): Promise<Float32Array>;
  /** Disposes every member, and what they share. */
  dispose(): void;
}

/** Options of {@link createEnsemble}. */
export interface CreateEnsembleOptions {
  /** What the members borrow (e.g. one embedder), freed once with the ensemble. Default none. */
  shared?: readonly { dispose(): void }[];
}

/**
 * Averages the similarities of its members (each member may have its own backbone and input size).
 *
 * @example
 * const ensemble = createEnsemble([modelA, modelB, modelC]);
 * const scores = await similarity(ensemble, refs, probes, { readout: 'output' });
 */
export function createEnsemble(
  models: readonly SiameseModel[],
  options: CreateEnsembleOptions = {},
): SiameseEnsemble {
  if (models.length === 0) throw new Error('createEnsemble: give at least one model');
  const members = [...models];
  return {
    kind: 'ensemble',
    members,
    async similarity(references, probes, options = {}) {
      let sum: Float32Array | null = null;
      for (const m of members) {
        const s = await similarity(m, references, probes, options);
        if (!sum) sum = Float32Array.from(s);
        else for (let i = 0; i < s.length; i++) sum[i] += s[i];
      }
      const mean = sum!;
      for (let i = 0; i < mean.length; i++) mean[i] /= members.length;
      return mean;
    },
    dispose() {
      for (const m of members) m.dispose();
      for (const s of options.shared ?? []) s.dispose();
    },
  };
}

/** Tells an ensemble from a single model. */
export function isEnsemble(m: SiameseModel | SiameseEnsemble): m is SiameseEnsemble {
  return m.kind === 'ensemble';
}
