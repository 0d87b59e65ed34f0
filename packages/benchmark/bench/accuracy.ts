/**
 * The accuracy ablation: which recipe of a head over frozen face embedders matches masked probes best, on people
 * and datasets it never saw. `pnpm bench accuracy` prints the table and writes bench-results/accuracy.json.
 *
 *   pnpm bench accuracy [--recipes r1,r2,...] [--steps 2000] [--moco-steps 1500] [--seed 0 | --seeds 0,1,2]
 *     [--styles wide,white-a,...] [--no-held-out] [--snorm [--cohort 100]] [--out bench-results/accuracy.json]
 *     [--control-styles white-wide,light-blue-a]   (scored only: each swaps the shape and colour of two styles)
 *     [--export <dir> --export-recipe rN]   (saves recipe rN's model A as a Siamese checkpoint; with several
 *                                            seeds, model A of each seed as one averaging ensemble, float16)
 *
 * Protocol (cross-fitted, so every LFW View 2 pair is scored by a model that never saw its people):
 * - LFW View 2's folds are disjoint in people. Model A trains on the people of folds 6-10 and scores folds 1-5;
 *   model B the other way round. Their training photos are those folds' View 2 photos: unmasked, and masked in
 *   the styles the recipe trains on. Each model keeps its best 1-of-20 validation precision (10% of its people).
 * - AT&T and Extended Yale B (well-lit part) are held out whole: scored by the mean of models A and B.
 *   Except for recipes with `trainOn` (r12, r13), which add one of them to training to see whether it helps the other.
 * - Probes are masked by @mfr/masking exactly as `mfr bench` masks them (the same cache); the four mask styles
 *   and unmasked probes are separate conditions on the same pair list.
 * - LFW columns are fold means (± std): each fold is scored by one model, while pooling all folds mixes the score
 *   scales of models A and B. The pooled wide numbers are shown beside them.
 * - The style spread (max - min of the four styles' EER) is shown on each style's own pairs and on the pairs that
 *   every style kept (each style drops the probes whose mask was not verified).
 * - `--seeds` trains each recipe once per seed: rows `rN@sK` are the single models and row `rNxK` (K seeds) their
 *   averaging ensemble (the mean output), so the seed-to-seed spread is visible beside what averaging buys.
 * Vectors come from the benchmark's embedding cache (`mfr bench` with baseline:faceapi,baseline:faceres fills it,
 * baseline:mobileface for r11 and baseline:faceres-upper for r15);
 * a condition it has not run yet is masked and embedded here first (about 15 minutes per LFW condition on 2 cores).
 * `--snorm` adds rows `<scorer>+snorm`: the cosines' and each recipe's scores S-normalised against cohorts of
 * `--cohort` training photos per side (accuracy/score-norm.ts), the recipe's models unchanged.
 * r16 also trains on LFW photos outside View 2's pairs (see accuracy/extra-photos.ts), masked and embedded here the
 * first time like a condition of their own, and never scored.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '@mfr/core';
import { createGraphEmbedder, createSiamese } from '@mfr/siamese';
import { saveSiamese, saveSiameseEnsemble } from '@mfr/siamese/node';
import type * as tf from '@tensorflow/tfjs-core';
import { identityOf } from '../src/datasets/folder.js';
import { resolveDataset } from '../src/datasets/resolve.js';
import { cosineSimilarity } from '../src/models/similarity.js';
import { readPairsTsv } from '../src/pairs/tsv.js';
import { type ScoreStatistics, scoreStatistics } from '../src/runner/statistics.js';
import { defaultCacheDir } from '../src/util/cache-dir.js';
import { writeExtraPhotoPairs } from './accuracy/extra-photos.js';
import { pretrainAdapter } from './accuracy/moco-adapter.js';
import { cohortStats, type PairScorer, pickCohort, sNorm } from './accuracy/score-norm.js';
import {
  type HeadRecipe,
  type TrainingPool,
  trainVectorHead,
  type VectorHead,
} from './accuracy/vector-head.js';
import {
  type Condition,
  type ConditionVectors,
  type EvalPair,
  type FaceVectors,
  loadConditions,
} from './accuracy/vectors.js';

const { values } = parseArgs({
  options: {
    recipes: { type: 'string' },
    steps: { type: 'string', default: '2000' },
    'moco-steps': { type: 'string', default: '1500' },
    seed: { type: 'string', default: '0' },
    seeds: { type: 'string' },
    out: { type: 'string', default: 'bench-results/accuracy.json' },
    styles: { type: 'string' },
    'no-held-out': { type: 'boolean', default: false },
    export: { type: 'string' },
    'export-recipe': { type: 'string' },
    snorm: { type: 'boolean', default: false },
    cohort: { type: 'string', default: '100' },
    'control-styles': { type: 'string' },
  },
});
const steps = Number(values.steps);
const seeds = (values.seeds ?? values.seed!).split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s))) throw new Error(`--seeds: integers, got "${values.seeds}"`);
const log = (line: string) => console.error(line);

/** The mask styles of the study (JSON as `mfr bench --mask-spec` takes it; `{}` is the default light-blue wide). */
const STYLES: Record<string, Record<string, unknown>> = {
  wide: {},
  'white-a': { shape: 'a', color: 'white' },
  'black-round': { shape: 'round', color: 'black' },
  'beige-c-cloth': { shape: 'c', color: 'beige', texture: 'cloth' },
};
/** `--styles` limits the study to some styles (a quick run on conditions already cached). */
const ALL_STYLES = Object.keys(STYLES).filter((s) => !values.styles || values.styles.split(',').includes(s));
/**
 * Styles scored but never trained on and left out of the style spread (`--control-styles`): each swaps the shape
 * and colour of two study styles, so a column tells whether a style's EER follows its shape or its colour.
 */
const CONTROL_STYLES: Record<string, Record<string, unknown>> = {
  'white-wide': { shape: 'wide', color: 'white' },
  'light-blue-a': { shape: 'a', color: 'light-blue' },
};
const controlStyles = values['control-styles']?.split(',') ?? [];
for (const s of controlStyles)
  if (!(s in CONTROL_STYLES))
    throw new Error(
      `--control-styles: unknown style "${s}"; choose from ${Object.keys(CONTROL_STYLES).join(', ')}`,
    );
if (values.snorm && controlStyles.length > 0)
  throw new Error('--snorm needs training photos in each scored style: run --control-styles without --snorm');

interface RecipeSpec extends Omit<HeadRecipe, 'steps' | 'seed' | 'adapterWeights'> {
  /** Pre-train the adapter with MoCo v2 first. */
  moco?: boolean;
  /**
   * Also train on one of the held-out sets (its photos and wide-masked probes, as a dataset `wide@<name>` of its
   * own): that column is then not held out, the other held-out set tells how the extra data travels.
   */
  trainOn?: 'att' | 'yaleb';
  /** Also train on LFW photos outside View 2's pairs (see writeExtraPhotoPairs), in every style trained on. */
  extraPhotos?: boolean;
  what: string;
}
/** The levers, one row each; later rows add to the earlier ones unless said. */
const RECIPES: RecipeSpec[] = [
  {
    name: 'r1',
    what: 'faceres head, light-blue wide masks, hardest of 4 (the recipe of the v1 model)',
    features: 'faceres',
    styles: ['wide'],
    hardest: 4,
  },
  {
    name: 'r2',
    what: 'r1 + training masks of all four styles',
    features: 'faceres',
    styles: ALL_STYLES,
    hardest: 4,
  },
  { name: 'r3', what: 'r2 + hardest of 16', features: 'faceres', styles: ALL_STYLES, hardest: 16 },
  {
    name: 'r4',
    what: 'r3 on fused faceres + faceapi vectors',
    features: 'fusion',
    styles: ALL_STYLES,
    hardest: 16,
  },
  {
    name: 'r5',
    what: 'r4 + unmasked probes in training',
    features: 'fusion',
    styles: [...ALL_STYLES, 'unmasked'],
    hardest: 16,
  },
  {
    name: 'r6',
    what: 'r4 + a 512-d adapter per side, from scratch',
    features: 'fusion',
    styles: ALL_STYLES,
    hardest: 16,
    adapter: 512,
  },
  {
    name: 'r7',
    what: 'r6 with the adapter pre-trained by MoCo v2 (masked/unmasked copies of a photo as positives)',
    features: 'fusion',
    styles: ALL_STYLES,
    hardest: 16,
    adapter: 512,
    moco: true,
  },
  {
    name: 'r8',
    what: 'r4 trained without the beige cloth style (how it travels to an unseen mask)',
    features: 'fusion',
    styles: ['wide', 'white-a', 'black-round'],
    hardest: 16,
  },
  {
    name: 'r9',
    what: 'r6 + unmasked probes in training (r5 with the adapter)',
    features: 'fusion',
    styles: [...ALL_STYLES, 'unmasked'],
    hardest: 16,
    adapter: 512,
  },
  {
    name: 'r10',
    what: 'r9 with white type a (the hardest style) drawn twice as often',
    features: 'fusion',
    styles: [...ALL_STYLES, 'unmasked', ...ALL_STYLES.filter((s) => s === 'white-a')],
    hardest: 16,
    adapter: 512,
  },
  {
    name: 'r11',
    what: 'r10 with mobileface fused too (faceres + faceapi + mobileface vectors)',
    features: 'fusion3',
    styles: [...ALL_STYLES, 'unmasked', ...ALL_STYLES.filter((s) => s === 'white-a')],
    hardest: 16,
    adapter: 512,
  },
  {
    name: 'r12',
    what: 'r10 + Yale B (well-lit) photos in training; AT&T stays held out (the Yale B column is not)',
    features: 'fusion',
    styles: [...ALL_STYLES, 'unmasked', ...ALL_STYLES.filter((s) => s === 'white-a'), 'wide@yaleb'],
    hardest: 16,
    adapter: 512,
    trainOn: 'yaleb',
  },
  {
    name: 'r13',
    what: 'r10 + AT&T photos in training; Yale B stays held out (the AT&T column is not)',
    features: 'fusion',
    styles: [...ALL_STYLES, 'unmasked', ...ALL_STYLES.filter((s) => s === 'white-a'), 'wide@att'],
    hardest: 16,
    adapter: 512,
    trainOn: 'att',
  },
  {
    name: 'r14',
    what: 'r10 with hardest of 32 imposter candidates instead of 16',
    features: 'fusion',
    styles: [...ALL_STYLES, 'unmasked', ...ALL_STYLES.filter((s) => s === 'white-a')],
    hardest: 32,
    adapter: 512,
  },
  {
    name: 'r16',
    what: "r10 + more photos to train on: View 2 people's photos outside its pairs (up to 10 each) and people outside View 2",
    features: 'fusion',
    styles: [...ALL_STYLES, 'unmasked', ...ALL_STYLES.filter((s) => s === 'white-a')],
    hardest: 16,
    adapter: 512,
    extraPhotos: true,
  },
  {
    name: 'r17',
    what: 'r16 with hardest of 32 (the two levers that moved AT&T and the style spread, stacked)',
    features: 'fusion',
    styles: [...ALL_STYLES, 'unmasked', ...ALL_STYLES.filter((s) => s === 'white-a')],
    hardest: 32,
    adapter: 512,
    extraPhotos: true,
  },
  {
    name: 'r18',
    what: 'r16 with white type a (the shape that hides the most) drawn four times as often instead of twice',
    features: 'fusion',
    styles: [
      ...ALL_STYLES,
      'unmasked',
      ...ALL_STYLES.filter((s) => s === 'white-a').flatMap((s) => [s, s, s]),
    ],
    hardest: 16,
    adapter: 512,
    extraPhotos: true,
  },
  {
    name: 'r15',
    what: 'r10 with an upper-face embedding fused too (faceres on the face blacked out below the eyes)',
    features: 'fusion-upper',
    styles: [...ALL_STYLES, 'unmasked', ...ALL_STYLES.filter((s) => s === 'white-a')],
    hardest: 16,
    adapter: 512,
  },
];
const chosen = (
  values.recipes ? RECIPES.filter((r) => values.recipes!.split(',').includes(r.name)) : RECIPES
).map((r) => ({
  ...r,
  styles: r.styles.filter((s) => s === 'unmasked' || s.startsWith('wide@') || ALL_STYLES.includes(s)),
}));

// refuse an export that cannot be saved before any training runs
const exportSpec = chosen.find((r) => r.name === values['export-recipe']);
if (values.export && !exportSpec) {
  throw new Error(
    `--export needs --export-recipe naming one of the recipes run (${chosen.map((r) => r.name).join(', ')}), got "${values['export-recipe'] ?? ''}"`,
  );
}
if (values.export && exportSpec?.features === 'faceapi')
  throw new Error('--export: a head on faceapi alone has no embedder to save');
if (values.export && (exportSpec?.features === 'fusion3' || exportSpec?.features === 'fusion-upper'))
  throw new Error(`--export: Siamese checkpoints fuse face-api only (${exportSpec.features} is a study row)`);

const backend = await initBackend();
log(`backend: ${backend}`);
const conditions: Condition[] = [
  ...ALL_STYLES.map((name) => ({ name, dataset: 'lfw-view2', maskSpec: STYLES[name] })),
  { name: 'unmasked', dataset: 'lfw-view2', maskSpec: null },
  ...controlStyles.map((name) => ({ name, dataset: 'lfw-view2', maskSpec: CONTROL_STYLES[name] })),
  ...(values['no-held-out']
    ? []
    : [
        { name: 'att', dataset: 'att', maskSpec: STYLES.wide },
        { name: 'yaleb', dataset: 'yaleb', maskSpec: STYLES.wide },
      ]),
];
// the extra training photos, in every style (their unmasked copies come as each style's references)
if (chosen.some((r) => r.extraPhotos)) {
  const view2 = await readPairsTsv(resolve('benchmarks', 'pairs', 'lfw-view2.tsv'));
  const extra = await writeExtraPhotoPairs(
    resolveDataset('lfw').root,
    view2.pairs,
    resolve(defaultCacheDir(), 'extra-photo-pairs'),
  );
  log(
    `extra photos: ${extra.photos} (${extra.view2People} View 2 people, ${extra.otherPeople} people outside View 2)`,
  );
  for (const style of ALL_STYLES)
    conditions.push({
      name: `${style}+extra`,
      dataset: 'lfw',
      maskSpec: STYLES[style],
      pairsDir: extra.pairsDir,
      trainingStyle: style,
    });
}
// the optional embedders' vectors only when a recipe fuses them (the first run embeds every condition with them)
const withMobileface = chosen.some((r) => r.features === 'fusion3');
const withUpper = chosen.some((r) => r.features === 'fusion-upper');
const loaded = await loadConditions(conditions, {
  log,
  extra: [
    ...(withMobileface ? ['mobileface' as const] : []),
    ...(withUpper ? ['faceres-upper' as const] : []),
  ],
});
const extraPhotos = loaded.filter((c) => c.condition.trainingStyle);
// the conditions scored: LFW View 2's and the held-out sets
const scored = loaded.filter((c) => !c.condition.trainingStyle);
const lfw = scored.filter((c) => c.condition.dataset === 'lfw-view2');
const heldOutSets = scored.filter((c) => c.condition.dataset !== 'lfw-view2');
// the styles drop different probes (masks not verified), so the spread is also shown on the pairs every style kept
const pairKey = (p: EvalPair) => `${p.reference}\t${p.probe}`;
const styleConditions = lfw.filter((c) => ALL_STYLES.includes(c.condition.name));
const keptBy = styleConditions.map((c) => new Set(c.pairs.map(pairKey)));
const commonPairs = new Set(
  (styleConditions[0]?.pairs ?? []).map(pairKey).filter((k) => keptBy.every((kept) => kept.has(k))),
);
log(`pairs every style kept: ${commonPairs.size}`);
/** A condition's summary on the pairs every style kept. */
function onCommonPairs(c: ConditionVectors, scores: Float32Array): Summary {
  const keep = c.pairs.flatMap((p, i) => (commonPairs.has(pairKey(p)) ? [i] : []));
  return summarize(
    { ...c, pairs: keep.map((i) => c.pairs[i]) },
    Float32Array.from(keep, (i) => scores[i]),
  );
}

// LFW View 2: person -> fold (its folds are disjoint in people)
const foldOf = new Map<string, number>();
for (const c of lfw) {
  for (const p of c.pairs) {
    for (const rel of [p.reference, p.probe]) {
      const person = identityOf(rel);
      const known = foldOf.get(person);
      if (known !== undefined && known !== p.fold)
        throw new Error(`${person} is in folds ${known} and ${p.fold}`);
      foldOf.set(person, p.fold);
    }
  }
}
const HALVES = [
  { name: 'A', evalFolds: new Set([1, 2, 3, 4, 5]) },
  { name: 'B', evalFolds: new Set([6, 7, 8, 9, 10]) },
];
const poolFor = (evalFolds: Set<number>, trainOn?: string, withExtraPhotos = false): TrainingPool => {
  // people outside View 2 (no fold) train both halves
  const inTraining = (rel: string) => !evalFolds.has(foldOf.get(identityOf(rel)) ?? 0);
  const pool: TrainingPool = { identities: new Map(), unmasked: new Map(), masked: new Map() };
  if (trainOn) {
    const extra = heldOutSets.find((c) => c.condition.name === trainOn);
    if (!extra) throw new Error(`trainOn: the held-out set "${trainOn}" is not loaded (drop --no-held-out)`);
    for (const [rel, v] of extra.references) pool.unmasked.set(rel, v);
    pool.masked.set(`wide@${trainOn}`, new Map(extra.probes));
  }
  for (const c of lfw) {
    if (c.condition.name in CONTROL_STYLES) continue; // scored only
    for (const [rel, v] of c.references) if (inTraining(rel)) pool.unmasked.set(rel, v);
    const target =
      c.condition.maskSpec === null
        ? pool.unmasked
        : (pool.masked.get(c.condition.name) ??
          pool.masked.set(c.condition.name, new Map()).get(c.condition.name)!);
    for (const [rel, v] of c.probes) if (inTraining(rel)) target.set(rel, v);
  }
  for (const c of withExtraPhotos ? extraPhotos : []) {
    for (const [rel, v] of c.references) if (inTraining(rel)) pool.unmasked.set(rel, v);
    const style = c.condition.trainingStyle!;
    const target = pool.masked.get(style) ?? pool.masked.set(style, new Map()).get(style)!;
    for (const [rel, v] of c.probes) if (inTraining(rel)) target.set(rel, v);
  }
  for (const rel of pool.unmasked.keys()) {
    const person = identityOf(rel);
    pool.identities.set(person, [...(pool.identities.get(person) ?? []), rel]);
  }
  return pool;
};
const poolsBy = new Map<string, TrainingPool[]>();
/** The two halves' training pools of a recipe (LFW View 2 only, or with a held-out set or more LFW photos added). */
const poolsOf = (spec: RecipeSpec): TrainingPool[] => {
  const key = `${spec.trainOn ?? ''}|${spec.extraPhotos ?? false}`;
  if (!poolsBy.has(key))
    poolsBy.set(
      key,
      HALVES.map((h) => poolFor(h.evalFolds, spec.trainOn, spec.extraPhotos)),
    );
  return poolsBy.get(key)!;
};

/** Scores of one scorer on every condition, pair by pair (same order as the condition's pairs). */
type ScoreSet = Map<string, Float32Array>;
const scoreSets = new Map<string, { what: string; scores: ScoreSet; training?: unknown }>();
const baseline = (name: keyof FaceVectors): ScoreSet =>
  new Map(
    scored.map((c) => [
      c.condition.name,
      Float32Array.from(
        c.pairs.map((p) =>
          cosineSimilarity(c.references.get(p.reference)![name]!, c.probes.get(p.probe)![name]!),
        ),
      ),
    ]),
  );
scoreSets.set('faceapi', { what: 'faceapi cosine (no training)', scores: baseline('faceapi') });
scoreSets.set('faceres', { what: 'faceres cosine (no training)', scores: baseline('faceres') });
if (withMobileface)
  scoreSets.set('mobileface', { what: 'mobileface cosine (no training)', scores: baseline('mobileface') });
if (withUpper)
  scoreSets.set('faceres-upper', {
    what: 'faceres cosine on the upper face (no training)',
    scores: baseline('faceres-upper'),
  });
scoreSets.set('ensemble(faceapi+faceres)', {
  what: 'mean of the two cosines',
  scores: mean(scoreSets.get('faceapi')!.scores, scoreSets.get('faceres')!.scores),
});
// --snorm: the cosines S-normalised too, against the same cohorts as the heads (each half's training photos)
for (const name of values.snorm ? (['faceapi', 'faceres'] as const) : []) {
  const cosine: PairScorer = (refs, probes) =>
    Float32Array.from(refs, (r, k) => cosineSimilarity(r[name], probes[k][name]));
  scoreSets.set(`${name}+snorm`, {
    what: `${name} cosine, S-normalised (cohort of ${values.cohort} training photos per side)`,
    scores: normalizeScores(() => cosine, poolsOf({ name: 'baselines' } as RecipeSpec)),
  });
}

for (const spec of chosen) {
  const t0 = Date.now();
  log(`${spec.name}: ${spec.what}`);
  const bySeed: ScoreSet[] = [];
  const exported: { head: VectorHead; training: Record<string, unknown> }[] = [];
  const normalizedBySeed: ScoreSet[] = [];
  for (const seed of seeds) {
    const { scores, training, normalized } = await trainAndScore(spec, seed, exported);
    bySeed.push(scores);
    if (normalized) normalizedBySeed.push(normalized);
    if (seeds.length > 1)
      scoreSets.set(`${spec.name}@s${seed}`, { what: `${spec.name}, seed ${seed}`, scores, training });
    else scoreSets.set(spec.name, { what: spec.what, scores, training });
  }
  if (exported.length > 0) {
    await exportHeads(
      exported.map((e) => e.head),
      values.export!,
      {
        recipe: spec,
        trainedOn: 'people of LFW View 2 folds 6-10',
        heldOut: 'LFW View 2 folds 1-5',
      },
      exported.map((e) => e.training),
    );
    for (const e of exported) e.head.dispose();
  }
  const name = seeds.length > 1 ? `${spec.name}x${seeds.length}` : spec.name;
  if (seeds.length > 1)
    scoreSets.set(name, {
      what: `mean output of ${spec.name} with seeds ${seeds.join(', ')}`,
      scores: mean(...bySeed),
    });
  scoreSets.set(`ensemble(faceapi+${name})`, {
    what: `mean of faceapi's cosine and ${name}'s output`,
    scores: mean(scoreSets.get('faceapi')!.scores, scoreSets.get(name)!.scores),
  });
  if (normalizedBySeed.length > 0)
    scoreSets.set(`${name}+snorm`, {
      what: `${name}, S-normalised logits (cohort of ${values.cohort} training photos per side)`,
      scores: mean(...normalizedBySeed),
    });
  log(`${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s; ${row(name)}`);
}

/**
 * Trains both halves of one recipe with one seed and scores every condition. When the recipe is exported, model A
 * goes to `exported` (the caller saves and disposes it) instead of being disposed.
 */
async function trainAndScore(
  spec: (typeof chosen)[number],
  seed: number,
  exported: { head: VectorHead; training: Record<string, unknown> }[],
): Promise<{ scores: ScoreSet; training: Record<string, unknown>[]; normalized: ScoreSet | null }> {
  const heads: VectorHead[] = [];
  const training: Record<string, unknown>[] = [];
  const pools = poolsOf(spec);
  for (const [i, half] of HALVES.entries()) {
    let adapterWeights: tf.Tensor[] | undefined;
    let mocoSeconds = 0;
    if (spec.moco && spec.adapter) {
      const pre = await pretrainAdapter(
        pools[i],
        {
          features: spec.features,
          units: spec.adapter,
          styles: spec.styles.filter((s) => s !== 'unmasked'),
          steps: Number(values['moco-steps']),
          seed,
        },
        log,
      );
      adapterWeights = pre.weights;
      mocoSeconds = pre.seconds;
    }
    const head = await trainVectorHead(
      { ...spec, name: `${spec.name}-${half.name}`, steps, seed, adapterWeights },
      pools[i],
      log,
    );
    for (const w of adapterWeights ?? []) w.dispose();
    heads.push(head);
    training.push({
      half: half.name,
      seed,
      bestValPrecision: head.bestValPrecision,
      bestStep: head.bestStep,
      seconds: head.seconds + mocoSeconds,
      mocoSeconds,
    });
  }
  const scores: ScoreSet = new Map();
  for (const c of scored) {
    const refs = c.pairs.map((p) => c.references.get(p.reference)!);
    const probes = c.pairs.map((p) => c.probes.get(p.probe)!);
    const byHalf = heads.map((h) => h.score(refs, probes));
    scores.set(
      c.condition.name,
      c.condition.dataset === 'lfw-view2'
        ? Float32Array.from(c.pairs, (p, k) => byHalf[HALVES.findIndex((h) => h.evalFolds.has(p.fold))][k])
        : Float32Array.from(byHalf[0], (_, k) => byHalf.reduce((acc, s) => acc + s[k], 0) / byHalf.length),
    );
  }
  const normalized = values.snorm
    ? normalizeScores((i) => (refs, probes) => heads[i].logits(refs, probes), pools)
    : null;
  const exporting = values.export && values['export-recipe'] === spec.name;
  if (exporting) exported.push({ head: heads[0], training: training[0] });
  for (const h of exporting ? heads.slice(1) : heads) h.dispose();
  return { scores, training, normalized };
}

/**
 * `--snorm`: every condition's scores S-normalised (see accuracy/score-norm.ts) on the scorer's own scale (logits
 * for a head). Each half's cohort comes from its own training pool (people it never scores): unmasked photos on the
 * reference side, photos masked in the condition's style (wide for the held-out sets) on the probe side.
 */
function normalizeScores(scorerOf: (half: number) => PairScorer, pools: readonly TrainingPool[]): ScoreSet {
  const size = Number(values.cohort);
  const out: ScoreSet = new Map();
  for (const c of scored) {
    const isLfw = c.condition.dataset === 'lfw-view2';
    const byHalf = HALVES.map((_, i) => {
      const pool = pools[i];
      const score = scorerOf(i);
      const mine = c.pairs
        .map((p, k) => ({ p, k }))
        .filter(({ p }) => !isLfw || HALVES[i].evalFolds.has(p.fold));
      const style = c.condition.maskSpec === null ? null : isLfw ? c.condition.name : 'wide';
      const probeSource = style === null ? pool.unmasked : pool.masked.get(style);
      if (!probeSource) throw new Error(`--snorm: no training photos masked in style "${style}"`);
      const sorted = (m: Map<string, FaceVectors>) => [...m.keys()].sort().map((k) => m.get(k)!);
      const cohortRefs = pickCohort(sorted(pool.unmasked), size);
      const cohortProbes = pickCohort(sorted(probeSource), size);
      const refKeys = [...new Set(mine.map(({ p }) => p.reference))];
      const probeKeys = [...new Set(mine.map(({ p }) => p.probe))];
      const refStats = cohortStats(
        score,
        refKeys.map((r) => c.references.get(r)!),
        cohortProbes,
        'reference',
      );
      const probeStats = cohortStats(
        score,
        probeKeys.map((q) => c.probes.get(q)!),
        cohortRefs,
        'probe',
      );
      const refIndex = new Map(refKeys.map((r, j) => [r, j]));
      const probeIndex = new Map(probeKeys.map((q, j) => [q, j]));
      const raw = score(
        mine.map(({ p }) => c.references.get(p.reference)!),
        mine.map(({ p }) => c.probes.get(p.probe)!),
      );
      const normalized = new Float32Array(c.pairs.length).fill(Number.NaN);
      mine.forEach(({ p, k }, j) => {
        const r = refIndex.get(p.reference)!;
        const q = probeIndex.get(p.probe)!;
        normalized[k] = sNorm(
          raw[j],
          { mean: refStats.mean[r], std: refStats.std[r] },
          { mean: probeStats.mean[q], std: probeStats.std[q] },
        );
      });
      return normalized;
    });
    out.set(
      c.condition.name,
      isLfw
        ? Float32Array.from(c.pairs, (p, k) => byHalf[HALVES.findIndex((h) => h.evalFolds.has(p.fold))][k])
        : Float32Array.from(byHalf[0], (_, k) => byHalf.reduce((acc, s) => acc + s[k], 0) / byHalf.length),
    );
  }
  return out;
}

// the table
const results: Record<string, Record<string, Summary>> = {};
for (const [name] of scoreSets) {
  results[name] = {};
  for (const c of scored)
    results[name][c.condition.name] = summarize(c, scoreSets.get(name)!.scores.get(c.condition.name)!);
  for (const c of styleConditions)
    results[name][`${c.condition.name}@common`] = onCommonPairs(
      c,
      scoreSets.get(name)!.scores.get(c.condition.name)!,
    );
}
const header = [
  'scorer',
  'wide EER (folds)',
  'wide FRR100 (folds)',
  'wide EER pooled',
  'wide FRR100 pooled',
  ...ALL_STYLES.slice(1).map((s) => `${s} EER`),
  'style spread',
  'spread, same pairs',
  'unmasked EER',
  ...heldOutSets.map((c) => `${c.condition.name} EER`),
  ...controlStyles.map((s) => `${s} EER (control)`),
];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
for (const [name] of scoreSets) lines.push(`| ${name} | ${row(name)} |`);
console.log(lines.join('\n'));
const out = resolve(values.out!);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      createdAt: new Date().toISOString(),
      backend,
      steps,
      seeds,
      conditions: loaded.map((c) => ({ ...c.condition, pairs: c.pairs.length, dropped: c.dropped })),
      scorers: Object.fromEntries(
        [...scoreSets].map(([name, s]) => [
          name,
          { what: s.what, training: s.training, results: results[name] ?? {} },
        ]),
      ),
    },
    null,
    2,
  )}\n`,
);
log(`wrote ${out}`);

/**
 * Saves model A (trained on folds 6-10's people; folds 1-5 stay unseen for calibration) as a Siamese checkpoint
 * that createMatcher and `mfr bench` load: the frozen faceres embedder, face-api's descriptor when fused, the
 * adapter when the recipe has one, the head. Several seeds' models A make one averaging ensemble, stored in
 * half precision so that three fit the shipped-model budget.
 */
async function exportHeads(
  heads: readonly VectorHead[],
  dir: string,
  meta: Record<string, unknown>,
  training: readonly Record<string, unknown>[],
): Promise<void> {
  const recipe = heads[0].recipe;
  const faceres = await createGraphEmbedder({ preset: 'faceres' });
  const models = heads.map((head) =>
    createSiamese({
      backbone: faceres,
      head: head.head,
      headUnits: recipe.headUnits ?? 512,
      ...(head.adapter ? { adapter: head.adapter } : {}),
      ...(recipe.features === 'fusion' ? { fused: ['faceapi' as const] } : {}),
    }),
  );
  const common = {
    ...meta,
    framing: 'landmarks',
    command: `pnpm bench accuracy ${process.argv.slice(2).join(' ')}`,
  };
  const memberMeta = heads.map((head, i) => ({
    ...common,
    training: training[i],
    valPrecision: head.bestValPrecision,
    step: head.bestStep,
  }));
  if (models.length === 1) await saveSiamese(models[0], resolve(dir), memberMeta[0]);
  else await saveSiameseEnsemble(models, resolve(dir), common, { weights: 'float16', memberMeta });
  faceres.dispose(); // heads and adapters stay with their VectorHeads, which dispose them
  log(`exported ${recipe.name} (model A of ${heads.length} seed(s)) to ${dir}`);
}

interface Summary {
  eer: number;
  frr100: number;
  eerMean: number;
  eerStd: number;
  frr100Mean: number;
  frr100Std: number;
  pairs: number;
}
function summarize(c: ConditionVectors, scores: Float32Array): Summary {
  const s: ScoreStatistics = scoreStatistics(
    Array.from(scores),
    c.pairs.map((p) => p.label),
    c.pairs.map((p) => p.fold),
  );
  return {
    eer: s.eer,
    frr100: s.frr100,
    eerMean: s.folds.eerMean,
    eerStd: s.folds.eerStd,
    frr100Mean: s.folds.frr100Mean,
    frr100Std: s.folds.frr100Std,
    pairs: s.pairs,
  };
}
function row(name: string): string {
  const set = scoreSets.get(name)!.scores;
  const get = (cond: string) => summarize(loaded.find((c) => c.condition.name === cond)!, set.get(cond)!);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const wide = get('wide');
  // LFW: fold means, each fold scored by one model (pooling mixes the score scales of models A and B)
  const styleEers = ALL_STYLES.map((s) => get(s).eerMean);
  const commonEers = styleConditions.map((c) => onCommonPairs(c, set.get(c.condition.name)!).eerMean);
  const spread = (eers: number[]) => (100 * (Math.max(...eers) - Math.min(...eers))).toFixed(1);
  return [
    `${pct(wide.eerMean)} ± ${(100 * wide.eerStd).toFixed(1)}`,
    `${pct(wide.frr100Mean)} ± ${(100 * wide.frr100Std).toFixed(1)}`,
    pct(wide.eer),
    pct(wide.frr100),
    ...ALL_STYLES.slice(1).map((s) => pct(get(s).eerMean)),
    spread(styleEers),
    spread(commonEers),
    pct(get('unmasked').eerMean),
    ...heldOutSets.map((c) => pct(get(c.condition.name).eer)),
    ...controlStyles.map((s) => pct(get(s).eerMean)),
  ].join(' | ');
}
function mean(...sets: ScoreSet[]): ScoreSet {
  const out: ScoreSet = new Map();
  for (const [key, first] of sets[0]) {
    out.set(
      key,
      Float32Array.from(first, (_, i) => sets.reduce((acc, s) => acc + s.get(key)![i], 0) / sets.length),
    );
  }
  return out;
}

export type { FaceVectors };
