/**
 * The frozen embedders' vectors of every image of a benchmark condition (a dataset with one mask style, or
 * unmasked), read through the benchmark's own pipeline: the same masked probes, face analysis and embedding
 * cache as `mfr bench`, so a condition that `mfr bench` already ran costs no model time here.
 */
import { join, relative } from 'node:path';
import { loadModels } from '../../src/models/create.js';
import { prepareDataset } from '../../src/runner/run-benchmark.js';
import { defaultCacheDir } from '../../src/util/cache-dir.js';

/**
 * The frozen embedders whose vectors the experiments use: always face-api and faceres; mobileface and faceres on
 * the upper face (`faceres-upper`) when asked.
 */
export const EMBEDDERS = ['faceapi', 'faceres', 'mobileface', 'faceres-upper'] as const;
export type EmbedderName = (typeof EMBEDDERS)[number];

/** One image's raw vectors, by embedder (the optional ones only when loaded with them). */
export type FaceVectors = Record<'faceapi' | 'faceres', Float32Array> &
  Partial<Record<'mobileface' | 'faceres-upper', Float32Array>>;

/** A condition: a dataset of `mfr bench` and how its probes look. */
export interface Condition {
  /** Name in tables: `wide`, `white-a`, `unmasked`, ... */
  name: string;
  /** `lfw-view2`, `att`, `yaleb` or a folder. */
  dataset: string;
  /** null = unmasked probes. */
  maskSpec: Record<string, unknown> | null;
  /** Folder of the pair list `<dataset>.tsv` to use instead of `benchmarks/pairs`. */
  pairsDir?: string;
  /** Photos to train on only (their pairs are never scored), masked in the style named here. */
  trainingStyle?: string;
}

/** One evaluation pair of a condition, its images named by dataset-relative path. */
export interface EvalPair {
  reference: string;
  probe: string;
  label: 0 | 1;
  fold: number;
}

/** A condition's images and pairs. */
export interface ConditionVectors {
  condition: Condition;
  /** Unmasked references by relative path. */
  references: Map<string, FaceVectors>;
  /** Probes (masked unless maskSpec is null) by the relative path of their unmasked source. */
  probes: Map<string, FaceVectors>;
  /** Pairs whose probe and reference both have vectors (the rest were dropped by masking, as in `mfr bench`). */
  pairs: EvalPair[];
  dropped: number;
}

/**
 * Reads (and, where `mfr bench` has not run the condition yet, computes into the shared cache) the vectors of
 * every pair of each condition.
 *
 * @example
 * const [wide] = await loadConditions([{ name: 'wide', dataset: 'lfw-view2', maskSpec: {} }]);
 * wide.pairs.length; // 5,820 of LFW View 2's 6,000
 */
export async function loadConditions(
  conditions: readonly Condition[],
  options: {
    cacheDir?: string;
    log?: (line: string) => void;
    /** The optional embedders to load too. */
    extra?: readonly ('mobileface' | 'faceres-upper')[];
  } = {},
): Promise<ConditionVectors[]> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const names = EMBEDDERS.filter(
    (name) => name === 'faceapi' || name === 'faceres' || options.extra?.includes(name),
  );
  const loaded = await loadModels(names.map((name) => `baseline:${name}`));
  const out: ConditionVectors[] = [];
  try {
    for (const condition of conditions) {
      const t0 = Date.now();
      const { dataset, selected, probes, embedded } = await prepareDataset(
        condition.dataset,
        0,
        {
          models: [],
          datasets: [condition.dataset],
          // a condition not cached yet takes minutes: once past 10 s, say how far masking and embedding are
          onProgress: (stage, done, total) => {
            const step = Math.max(1, Math.ceil(total / 10));
            if (Date.now() - t0 > 10_000 && (done % step === 0 || done === total))
              options.log?.(`  ${condition.name}: ${stage} ${done}/${total}`);
          },
        },
        {
          pairsDir: condition.pairsDir ?? join(process.cwd(), 'benchmarks', 'pairs'),
          cacheDir,
          mask: condition.maskSpec !== null,
          maskSpec: condition.maskSpec ?? {},
          models: loaded.models,
        },
      );
      const vectorsOf = (path: string): FaceVectors | null => {
        const v = embedded.get(path)?.vectors;
        if (!v) return null;
        return Object.fromEntries(names.map((name, i) => [name, v[i]])) as FaceVectors;
      };
      const result: ConditionVectors = {
        condition,
        references: new Map(),
        probes: new Map(),
        pairs: [],
        dropped: 0,
      };
      for (const pair of selected) {
        const ref = vectorsOf(join(dataset.root, pair.reference));
        const probePath = probes.get(pair.probe)?.path;
        const probe = probePath ? vectorsOf(probePath) : null;
        if (!ref || !probe) {
          result.dropped++;
          continue;
        }
        result.references.set(pair.reference, ref);
        result.probes.set(pair.probe, probe);
        result.pairs.push({
          reference: pair.reference,
          probe: pair.probe,
          label: pair.label,
          fold: pair.fold,
        });
      }
      options.log?.(
        `${condition.name} (${condition.dataset}): ${result.pairs.length} pairs, ${result.dropped} dropped, ${relative(process.cwd(), dataset.root) || dataset.root}, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      out.push(result);
    }
  } finally {
    loaded.dispose();
  }
  return out;
}
