/** Model arguments -> loaded models, with ensembles sharing their members' embeddings. */
import { createBaseline } from './baselines.js';
import { createCheckpointModel } from './checkpoint.js';
import { type ModelSpec, parseModelSpec } from './parse-spec.js';
import { similarityFunction } from './similarity.js';
import type { BenchModel, SimilarityKind } from './types.js';

/** A column of the results: one model, or an ensemble whose score is the mean of its members' scores. */
export interface Scorer {
  /** Name in reports (the model argument as given, or the baseline / checkpoint label). */
  label: string;
  /** The argument it came from. */
  spec: string;
  family: 'baseline' | 'ours' | 'ensemble';
  /** Indices into {@link LoadedModels.models}. */
  members: number[];
}

/** Every distinct model to embed with, and the scorers (report columns) built from them. */
export interface LoadedModels {
  models: BenchModel[];
  scorers: Scorer[];
  /** Scores a pair from the members' representations (same order as `scorer.members`). */
  score(scorer: Scorer, reference: Float32Array[], probe: Float32Array[]): number;
  dispose(): void;
}

/**
 * Loads the models named by `specs` (see parseModelSpec). Members shared by ensembles and plain entries load once.
 * Plain embedders are compared with `similarity` (default 'cosine'); Siamese checkpoints use their readout.
 *
 * @example
 * const loaded = await loadModels(['baseline:faceapi', 'ensemble:baseline:faceres+baseline:mobileface']);
 * loaded.scorers.map((s) => s.label); // ['faceapi', 'ensemble(faceres+mobileface)']
 */
export async function loadModels(
  specs: readonly string[],
  similarity: SimilarityKind = 'cosine',
): Promise<LoadedModels> {
  const parsed = specs.map(parseModelSpec);
  const models: BenchModel[] = [];
  const byText = new Map<string, number>();
  const sim = similarityFunction(similarity);
  const load = async (spec: ModelSpec & { kind: 'baseline' | 'checkpoint' }): Promise<number> => {
    const known = byText.get(spec.text);
    if (known !== undefined) return known;
    const model =
      spec.kind === 'baseline'
        ? await createBaseline(spec.name)
        : await createCheckpointModel(spec.path, spec.readout);
    models.push(model);
    byText.set(spec.text, models.length - 1);
    return models.length - 1;
  };
  const scorers: Scorer[] = [];
  try {
    for (const spec of parsed) {
      if (spec.kind === 'ensemble') {
        const members: number[] = [];
        for (const m of spec.members)
          members.push(await load(m as ModelSpec & { kind: 'baseline' | 'checkpoint' }));
        scorers.push({
          label: `ensemble(${members.map((i) => models[i].label).join('+')})`,
          spec: spec.text,
          family: 'ensemble',
          members,
        });
      } else {
        const index = await load(spec);
        scorers.push({
          label: models[index].label,
          spec: spec.text,
          family: models[index].family,
          members: [index],
        });
      }
    }
  } catch (error) {
    for (const m of models) m.dispose();
    throw error;
  }
  return {
    models,
    scorers,
    score(scorer, reference, probe) {
      let sum = 0;
      scorer.members.forEach((index, k) => {
        const model = models[index];
        sum += model.score ? model.score(reference[k], probe[k]) : sim(reference[k], probe[k]);
      });
      return sum / scorer.members.length;
    },
    dispose() {
      for (const m of models) m.dispose();
    },
  };
}
