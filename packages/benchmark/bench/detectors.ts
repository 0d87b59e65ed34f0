/**
 * `MFR_BACKEND=wasm node --import tsx packages/benchmark/bench/detectors.ts [--limit 200]
 *   [--out bench-results/detectors.json] [--rows <earlier detectors.json>]`
 *
 * Which face detector finds synthetic-masked faces. The first image of each of the first `limit` LFW identities
 * (sorted) is masked in memory in several styles (seeded as `mfr mask` seeds them; landmarks from face68 on the
 * unmasked image; only masks that were drawn and verified are kept), plus an "upper face only" copy (lower 45%
 * flat grey) and 224x224 tight crops of the face (unmasked and masked). Each detector of the face finder's chain
 * runs alone on every probe (each candidate face68 pass as a one-pass landmarker, and FaceMesh), and
 * so does the whole chain (createFaceFinder()); ssd+pad0.3 is read off the ssd>=0.3+pad0.3 run (same network and
 * input, faces above 0.5: exact, and one SSD run less per probe). A probe counts as found when a detected face
 * overlaps the true face box (face68 on the unmasked original, moved into the crop for the tight crops) with
 * IoU >= 0.3.
 * Prints a table (found rate per case and detector), the chain's foundBy histogram, ms per image, simulated chain
 * orders (the cheapest order that finds >= 99.5% of the masked probes, and what dropping each pass costs) and the
 * chain's failures. Writes bench-results/detectors.json with the per-probe outcomes; `--rows` re-analyses such a
 * file without running any detector. Cost on the shared 2-core machine: ~18 s per LFW image (--limit 100: 30 min).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cropAndResize, currentBackend, initBackend } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import {
  type BoundingBox,
  boxIou,
  createFace68Landmarker,
  createFaceFinder,
  createFaceMeshLandmarker,
  createVerifier,
  DEFAULT_FACE68_PASSES,
  type DetectedFace,
  type DetectorPass,
  imageSeed,
  type Landmarker,
  type MaskSpec,
  maskImage,
  passLabel,
  type RgbImage,
  type Verifier,
} from '@mfr/masking';
import * as tf from '@tensorflow/tfjs-core';
import { findRepoRoot, listIdentities, resolveDataset } from '../src/index.js';

const MIN_IOU = 0.3;
const CROP_SIZE = 224;
const CROP_MARGIN = 0.1;
const GREY_FRACTION = 0.45;
const TARGET_RATE = 0.995;
const CHAIN = 'chain';

// ---------------------------------------------------------------------------------------------------------------
// arguments

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const limit = Number(arg('limit', '200'));
const rowsFrom = arg('rows', '');
const repoRoot = findRepoRoot();
const outPath = resolve(repoRoot, arg('out', 'bench-results/detectors.json'));

// ---------------------------------------------------------------------------------------------------------------
// probes: one unmasked source image -> one image per case, with where the face truly is

/** An LFW image with its true face (face68 on the unmasked image). */
interface Source {
  readonly file: string;
  readonly image: RgbImage;
  readonly face: DetectedFace;
}

/** One image a detector is asked to find the face in. */
interface Probe {
  readonly image: RgbImage;
  readonly truth: BoundingBox;
}

/** What a case needs beyond the source image. */
interface CaseContext {
  readonly verifier: Verifier;
  /** The light-blue wide masked copy (for the masked tight crop); null when that mask did not verify. */
  readonly defaultMasked: RgbImage | null;
}

/** A probe, or why the source yields none for this case (a mask status such as `not-verified`). */
type Made = Probe | { skipped: string };

/**
 * `mask`: a synthetic mask (the masked probes the chain-order search targets); `stress`: harder than any mask
 * (upper face only, tight crops); `reference`: the unmasked original.
 */
type CaseKind = 'reference' | 'mask' | 'stress';

interface Case {
  readonly name: string;
  readonly description: string;
  readonly kind: CaseKind;
  make(source: Source, ctx: CaseContext): Promise<Made>;
}

/** The landmarks found on the unmasked image, served to maskImage as a landmarker (no second detection). */
function knownFace(face: DetectedFace): Landmarker {
  return { kind: 'face68', detect: async () => [face], dispose() {} };
}

/** The source masked as `mfr mask` would mask it (same per-file seed, verified by re-detection). */
async function maskSource(source: Source, spec: Partial<MaskSpec>, verifier: Verifier): Promise<Made> {
  const r = await maskImage(source.image, spec, {
    landmarker: knownFace(source.face),
    verifier,
    seed: imageSeed(0, source.file),
  });
  if (r.status !== 'masked' || !r.image) return { skipped: r.status };
  return { image: r.image, truth: source.face.box };
}

/** The image with its lower `fraction` painted flat grey. */
function greyLowerPart(image: RgbImage, fraction: number): RgbImage {
  const data = new Uint8Array(image.data);
  const fromRow = Math.round(image.height * (1 - fraction));
  data.fill(128, fromRow * image.width * 3);
  return { data, width: image.width, height: image.height };
}

/** The square around the box's centre, `1 + margin` times its longer side. */
function expandToSquare(box: BoundingBox, margin: number): BoundingBox {
  const side = Math.max(box.width, box.height) * (1 + margin);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

/** `region` of the image resized to `size` x `size` (outside the image reads black), and the truth moved along. */
function cropProbe(image: RgbImage, region: BoundingBox, truth: BoundingBox, size: number): Probe {
  const out = tf.tidy(() => {
    const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    return tf.clipByValue(tf.round(cropAndResize(input, region, size)), 0, 255);
  });
  const data = Uint8Array.from(out.dataSync());
  out.dispose();
  const scale = size / region.width;
  return {
    image: { data, width: size, height: size },
    truth: {
      x: (truth.x - region.x) * scale,
      y: (truth.y - region.y) * scale,
      width: truth.width * scale,
      height: truth.height * scale,
    },
  };
}

const maskCase = (name: string, description: string, spec: Partial<MaskSpec>): Case => ({
  name,
  description,
  kind: 'mask',
  make: (source, ctx) => maskSource(source, spec, ctx.verifier),
});

const DEFAULT_MASKED = 'light-blue wide';

const CASES: readonly Case[] = [
  {
    name: 'unmasked',
    description: 'the original (reference)',
    kind: 'reference',
    make: async (s) => ({ image: s.image, truth: s.face.box }),
  },
  maskCase('white a', "white type a (the paper's mask)", { shape: 'a', color: 'white' }),
  maskCase(DEFAULT_MASKED, 'the default mask (NIST wide, light blue)', {}),
  maskCase('black round high', 'black round mask, high nose coverage', {
    shape: 'round',
    coverage: 'high',
    color: 'black',
  }),
  maskCase('pleats random', 'wide, pleats texture, random colour', { texture: 'pleats', color: 'random' }),
  maskCase('cloth navy', 'wide, cloth texture, navy', { texture: 'cloth', color: 'navy' }),
  maskCase('type e', 'type e (light blue)', { shape: 'e' }),
  {
    name: 'upper face only',
    description: `lower ${GREY_FRACTION * 100}% of the image flat grey`,
    kind: 'stress',
    make: async (s) => ({ image: greyLowerPart(s.image, GREY_FRACTION), truth: s.face.box }),
  },
  {
    name: 'tight unmasked',
    description: `face box + ${CROP_MARGIN * 100}% (square), ${CROP_SIZE}x${CROP_SIZE}`,
    kind: 'stress',
    make: async (s) => cropProbe(s.image, expandToSquare(s.face.box, CROP_MARGIN), s.face.box, CROP_SIZE),
  },
  {
    name: 'tight masked',
    description: `the light-blue wide masked copy, cropped as "tight unmasked"`,
    kind: 'stress',
    make: async (s, ctx) =>
      ctx.defaultMasked
        ? cropProbe(ctx.defaultMasked, expandToSquare(s.face.box, CROP_MARGIN), s.face.box, CROP_SIZE)
        : { skipped: 'mask not verified' },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// detectors

/**
 * A chain element measured alone. A pass that differs from another only by a higher score threshold is not run
 * again (`derivedFrom`): its faces are that pass's faces scoring above its threshold. This is exact for face-api
 * (the threshold filters the candidates before a greedy NMS that takes them by score) and saves one SSD run per
 * probe; its ms are those of the run it is derived from.
 */
interface Detector {
  readonly label: string;
  readonly landmarker: Landmarker | null;
  readonly derivedFrom?: { readonly label: string; readonly minScore: number };
}

const minScoreOf = (pass: DetectorPass) => pass.minScore ?? 0.5;

/** The pass running the same network on the same input at the lowest threshold, if below this pass's. */
function lowerThresholdTwin(pass: DetectorPass, passes: readonly DetectorPass[]): DetectorPass | null {
  const twins = passes.filter(
    (p) => p.model === pass.model && p.inputSize === pass.inputSize && (p.pad ?? 0) === (pass.pad ?? 0),
  );
  const lowest = twins.reduce((a, b) => (minScoreOf(b) < minScoreOf(a) ? b : a));
  return minScoreOf(lowest) < minScoreOf(pass) ? lowest : null;
}

/**
 * Every pass the toolkit has, measured alone: masking's default passes and SSD on a padded copy at two score
 * thresholds. The face finder's chain (FACE_FINDER_PASSES) was chosen from these by this script.
 */
const CANDIDATE_PASSES: readonly DetectorPass[] = [
  ...DEFAULT_FACE68_PASSES,
  { model: 'ssd', minScore: 0.5, pad: 0.3 },
  { model: 'ssd', minScore: 0.3, pad: 0.3 },
];

/** Each candidate pass alone (one-pass face68 landmarkers, FaceMesh), then the face finder's whole chain. */
async function createDetectors(): Promise<Detector[]> {
  const detectors: Detector[] = [];
  for (const pass of CANDIDATE_PASSES) {
    const twin = lowerThresholdTwin(pass, CANDIDATE_PASSES);
    detectors.push(
      twin
        ? {
            label: passLabel(pass),
            landmarker: null,
            derivedFrom: { label: passLabel(twin), minScore: minScoreOf(pass) },
          }
        : { label: passLabel(pass), landmarker: await createFace68Landmarker({ passes: [pass] }) },
    );
  }
  detectors.push({ label: 'facemesh', landmarker: await createFaceMeshLandmarker() });
  const finder = await createFaceFinder();
  detectors.push({
    label: CHAIN,
    landmarker: { kind: 'face68', detect: (image) => finder.find(image), dispose: () => finder.dispose() },
  });
  return detectors;
}

/** `hit`: a face overlaps the truth; `wrong`: faces found, none of them there; `none`: nothing found. */
type Outcome = 'hit' | 'wrong' | 'none';

interface Trial {
  readonly outcome: Outcome;
  readonly foundBy: string | null;
  readonly ms: number;
  readonly faces: readonly DetectedFace[];
}

function judge(faces: readonly DetectedFace[], truth: BoundingBox, ms: number): Trial {
  const hit = faces.find((f) => boxIou(f.box, truth) >= MIN_IOU);
  const outcome: Outcome = hit ? 'hit' : faces.length > 0 ? 'wrong' : 'none';
  return { outcome, foundBy: (hit ?? faces[0])?.foundBy ?? null, ms, faces };
}

async function runDetector(landmarker: Landmarker, probe: Probe): Promise<Trial> {
  const start = performance.now();
  const faces = await landmarker.detect(probe.image);
  return judge(faces, probe.truth, performance.now() - start);
}

/** A derived pass's trial from the trial of the pass it is derived from. */
function deriveTrial(detector: Detector, from: Trial, truth: BoundingBox): Trial {
  const minScore = detector.derivedFrom?.minScore ?? 0;
  const faces = from.faces.filter((f) => f.score > minScore).map((f) => ({ ...f, foundBy: detector.label }));
  return judge(faces, truth, from.ms);
}

// ---------------------------------------------------------------------------------------------------------------
// the run

/** One probe's outcome and milliseconds per detector (the JSON keeps the outcome's first letter: h, w, n). */
interface Row {
  readonly file: string;
  readonly outcomes: Record<string, Outcome>;
  readonly ms: Record<string, number>;
  readonly chainFoundBy: string | null;
}

interface CaseResult {
  readonly rows: Row[];
  readonly skipped: Record<string, number>;
}

async function firstImages(n: number): Promise<{ root: string; files: string[] }> {
  const root = resolveDataset('lfw').root;
  const files = (await listIdentities(root)).slice(0, n).map((i) => i.images[0]);
  return { root, files };
}

/** Every detector on one probe (derived passes after the runs they are derived from). */
async function probeRow(file: string, probe: Probe, detectors: readonly Detector[]): Promise<Row> {
  const trials = new Map<string, Trial>();
  for (const d of detectors) if (d.landmarker) trials.set(d.label, await runDetector(d.landmarker, probe));
  for (const d of detectors) {
    if (d.derivedFrom)
      trials.set(d.label, deriveTrial(d, trials.get(d.derivedFrom.label) as Trial, probe.truth));
  }
  const outcomes: Record<string, Outcome> = {};
  const ms: Record<string, number> = {};
  for (const d of detectors) {
    const trial = trials.get(d.label) as Trial;
    outcomes[d.label] = trial.outcome;
    ms[d.label] = trial.ms;
  }
  return { file, outcomes, ms, chainFoundBy: trials.get(CHAIN)?.foundBy ?? null };
}

async function probeAllCases(
  source: Source,
  verifier: Verifier,
  detectors: readonly Detector[],
  results: Map<string, CaseResult>,
): Promise<void> {
  const defaultMasked = await maskSource(source, {}, verifier);
  const ctx: CaseContext = { verifier, defaultMasked: 'image' in defaultMasked ? defaultMasked.image : null };
  for (const c of CASES) {
    const result = results.get(c.name) as CaseResult;
    const made = c.name === DEFAULT_MASKED ? defaultMasked : await c.make(source, ctx);
    if ('skipped' in made) {
      result.skipped[made.skipped] = (result.skipped[made.skipped] ?? 0) + 1;
      continue;
    }
    result.rows.push(await probeRow(source.file, made, detectors));
  }
}

/** Compiles every detector's kernels on one image, so the first probe's time is not a compile time. */
async function warmUp(detectors: readonly Detector[], image: RgbImage): Promise<void> {
  for (const d of detectors) await d.landmarker?.detect(image);
}

/** What the analysis needs from a run: per-probe outcomes per case, and the detectors' labels. */
interface RunData {
  readonly backend: string;
  readonly images: number;
  readonly results: Map<string, CaseResult>;
  readonly noFace: string[];
  readonly labels: string[];
  readonly derived: Record<string, Detector['derivedFrom']>;
}

/** Warns when tensors outlive what created them (the design's memory rule). */
function warnIfTensorsGrew(since: string, baseline: number): void {
  const grown = tf.memory().numTensors - baseline;
  if (grown > 0) console.warn(`warning: ${grown} tensor(s) more than ${since}`);
}

async function run(): Promise<RunData> {
  const { root, files } = await firstImages(limit);
  const tensorsAtStart = tf.memory().numTensors;
  const truthFinder = await createFace68Landmarker();
  const verifier = await createVerifier();
  const detectors = await createDetectors();
  const results = new Map(CASES.map((c) => [c.name, { rows: [], skipped: {} } as CaseResult]));
  const noFace: string[] = [];
  try {
    await warmUp(detectors, await readImagePixels(join(root, files[0])));
    const tensorsWithModels = tf.memory().numTensors;
    for (const [i, file] of files.entries()) {
      const image = await readImagePixels(join(root, file));
      const [face] = await truthFinder.detect(image);
      if (face) await probeAllCases({ file, image, face }, verifier, detectors, results);
      else noFace.push(file);
      if ((i + 1) % 10 === 0 || i + 1 === files.length) process.stderr.write(`  ${i + 1}/${files.length}\n`);
    }
    warnIfTensorsGrew('after loading the models', tensorsWithModels);
  } finally {
    for (const d of detectors) d.landmarker?.dispose();
    truthFinder.dispose();
    verifier.dispose();
  }
  warnIfTensorsGrew('before loading the models', tensorsAtStart);
  return {
    backend: currentBackend(),
    images: files.length,
    results,
    noFace,
    labels: detectors.map((d) => d.label),
    derived: Object.fromEntries(detectors.filter((d) => d.derivedFrom).map((d) => [d.label, d.derivedFrom])),
  };
}

/** An earlier run's report, read back by `--rows` (only what the analysis needs). */
interface StoredReport {
  backend: string;
  images: number;
  wallSeconds?: number;
  noFaceInOriginal: string[];
  detectors: string[];
  derived?: RunData['derived'];
  cases: Record<string, { skipped: Record<string, number> }>;
  rows: Record<
    string,
    { file: string; o: Record<string, 'h' | 'w' | 'n'>; ms: Record<string, number>; by?: string }[]
  >;
}

const OUTCOME_OF_LETTER = { h: 'hit', w: 'wrong', n: 'none' } as const;

/** The per-probe outcomes of an earlier run's JSON: re-analyse without running the detectors again. */
function loadRun(path: string): RunData {
  const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredReport;
  const results = new Map<string, CaseResult>();
  for (const [name, rows] of Object.entries(stored.rows)) {
    results.set(name, {
      skipped: stored.cases[name]?.skipped ?? {},
      rows: rows.map((r) => ({
        file: r.file,
        outcomes: Object.fromEntries(Object.entries(r.o).map(([l, o]) => [l, OUTCOME_OF_LETTER[o]])),
        ms: r.ms,
        chainFoundBy: r.by ?? null,
      })),
    });
  }
  return {
    backend: stored.backend,
    images: stored.images,
    results,
    noFace: stored.noFaceInOriginal,
    labels: stored.detectors,
    derived: stored.derived ?? {},
  };
}

// ---------------------------------------------------------------------------------------------------------------
// analysis: rates, and chain orders simulated from the single detectors

const pct = (v: number, digits = 1) => `${(v * 100).toFixed(digits)}%`;
const round1 = (v: number) => Math.round(v * 10) / 10;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
const share = (rows: readonly Row[], test: (r: Row) => boolean) =>
  rows.length === 0 ? 0 : rows.filter(test).length / rows.length;
const rate = (rows: readonly Row[], label: string) => share(rows, (r) => r.outcomes[label] === 'hit');
const meanMs = (rows: readonly Row[], label: string) =>
  rows.length === 0 ? 0 : rows.reduce((s, r) => s + r.ms[label], 0) / rows.length;
const perLabel = <T>(labels: readonly string[], value: (label: string) => T): Record<string, T> =>
  Object.fromEntries(labels.map((l) => [l, value(l)]));

/** A chain on one probe, simulated from its elements alone: the first that finds any face decides. */
function simulate(order: readonly string[], row: Row): { hit: boolean; ms: number; by: string | null } {
  let ms = 0;
  for (const label of order) {
    ms += row.ms[label];
    const o = row.outcomes[label];
    if (o !== 'none') return { hit: o === 'hit', ms, by: label };
  }
  return { hit: false, ms, by: null };
}

interface ChainScore {
  readonly rate: number;
  readonly failures: number;
  readonly ms: number;
}

function score(order: readonly string[], rows: readonly Row[]): ChainScore {
  let hits = 0;
  let ms = 0;
  for (const row of rows) {
    const s = simulate(order, row);
    hits += s.hit ? 1 : 0;
    ms += s.ms;
  }
  const n = Math.max(1, rows.length);
  return { rate: hits / n, failures: rows.length - hits, ms: round1(ms / n) };
}

/** Every ordered selection of the labels (13,699 for 7 detectors). */
function orderedSubsets(labels: readonly string[]): string[][] {
  const out: string[][] = [];
  const grow = (prefix: string[], rest: readonly string[]) => {
    for (const [i, label] of rest.entries()) {
      const next = [...prefix, label];
      out.push(next);
      grow(next, [...rest.slice(0, i), ...rest.slice(i + 1)]);
    }
  };
  grow([], labels);
  return out;
}

interface OrderScore {
  readonly order: string[];
  /** On the masked probes (the mask cases). */
  readonly masked: ChainScore;
  /** On every probe (reference and stress cases too). */
  readonly all: ChainScore;
}

/**
 * Chain orders ranked on the masked probes: the default chain, the cheapest order reaching the target, the best
 * rate (cheapest first among equals), and the best rate on every probe. Chosen on the same probes they are scored
 * on: a few probes either way are noise.
 */
function searchOrders(elements: readonly string[], masked: readonly Row[], all: readonly Row[]) {
  const scoreOf = (order: string[]): OrderScore => ({
    order,
    masked: score(order, masked),
    all: score(order, all),
  });
  const scored = orderedSubsets(elements).map(scoreOf);
  const byMasked = (a: OrderScore, b: OrderScore) =>
    b.masked.rate - a.masked.rate || a.masked.ms - b.masked.ms;
  const byAll = (a: OrderScore, b: OrderScore) => b.all.rate - a.all.rate || a.all.ms - b.all.ms;
  const reaching = scored.filter((s) => s.masked.rate >= TARGET_RATE);
  return {
    target: TARGET_RATE,
    defaultChain: scoreOf([...elements]),
    cheapestReachingTarget: reaching.sort((a, b) => a.masked.ms - b.masked.ms)[0] ?? null,
    bestOnMasked: scored.sort(byMasked)[0],
    bestOnAll: [...scored].sort(byAll)[0],
  };
}

/** Hits the default chain gains (+) or loses (-) without each of its elements, and the ms saved per probe. */
function leaveOneOut(chain: readonly string[], rows: readonly Row[]) {
  const full = score(chain, rows);
  return chain.map((label) => {
    const without = score(
      chain.filter((l) => l !== label),
      rows,
    );
    return { dropped: label, hits: full.failures - without.failures, msSaved: round1(full.ms - without.ms) };
  });
}

/** Which chain element found the true face (`(wrong)`: a face elsewhere stopped the chain; `(none)`: nothing). */
function foundByHistogram(elements: readonly string[], rows: readonly Row[]): Record<string, number> {
  const histogram: Record<string, number> = {};
  for (const r of rows) {
    const outcome = r.outcomes[CHAIN];
    const key = outcome === 'hit' ? (r.chainFoundBy ?? simulate(elements, r).by ?? '?') : `(${outcome})`;
    histogram[key] = (histogram[key] ?? 0) + 1;
  }
  return histogram;
}

/** Probes where the measured chain and the chain simulated from its elements disagree (expected: none). */
function chainMismatches(elements: readonly string[], rows: readonly Row[]): string[] {
  return rows.filter((r) => simulate(elements, r).hit !== (r.outcomes[CHAIN] === 'hit')).map((r) => r.file);
}

function caseReport(
  c: Case | undefined,
  r: CaseResult,
  labels: readonly string[],
  elements: readonly string[],
) {
  return {
    kind: c?.kind,
    description: c?.description,
    n: r.rows.length,
    skipped: r.skipped,
    foundRate: perLabel(labels, (l) => round4(rate(r.rows, l))),
    wrongFaceRate: perLabel(labels, (l) => round4(share(r.rows, (row) => row.outcomes[l] === 'wrong'))),
    anyDetectorRate: round4(share(r.rows, (row) => elements.some((l) => row.outcomes[l] === 'hit'))),
    msPerImage: perLabel(labels, (l) => round1(meanMs(r.rows, l))),
    chainFoundBy: foundByHistogram(elements, r.rows),
    chainFailures: r.rows
      .filter((row) => row.outcomes[CHAIN] !== 'hit')
      .map((row) => `${row.file} (${row.outcomes[CHAIN]})`),
  };
}

function buildReport(data: RunData) {
  const { results, labels } = data;
  const elements = labels.filter((l) => l !== CHAIN);
  const caseOf = new Map(CASES.map((c) => [c.name, c]));
  const rowsOf = (kinds: readonly CaseKind[]) =>
    [...results]
      .filter(([name]) => kinds.includes(caseOf.get(name)?.kind as CaseKind))
      .flatMap(([, r]) => r.rows);
  const all = [...results.values()].flatMap((r) => r.rows);
  const masked = rowsOf(['mask']);
  const group = (rows: readonly Row[]) => ({
    n: rows.length,
    foundRate: perLabel(labels, (l) => round4(rate(rows, l))),
    chainFoundBy: foundByHistogram(elements, rows),
  });
  return {
    backend: data.backend,
    images: data.images,
    noFaceInOriginal: data.noFace,
    minIou: MIN_IOU,
    detectors: labels,
    derived: data.derived,
    cases: Object.fromEntries(
      [...results].map(([name, r]) => [name, caseReport(caseOf.get(name), r, labels, elements)]),
    ),
    maskedProbes: group(masked),
    stressProbes: group(rowsOf(['stress'])),
    allProbes: group(all),
    msPerImage: perLabel(labels, (l) => round1(meanMs(all, l))),
    orderSearch: searchOrders(elements, masked, all),
    leaveOneOut: { maskedProbes: leaveOneOut(elements, masked), allProbes: leaveOneOut(elements, all) },
    simulatedChainMismatches: chainMismatches(elements, all),
    note: 'ms: wall time on a shared 2-core machine; chain orders are simulated from the single-detector runs',
    date: new Date().toISOString(),
    rows: Object.fromEntries(
      [...results].map(([name, r]) => [
        name,
        r.rows.map((row) => ({
          file: row.file,
          o: perLabel(labels, (l) => row.outcomes[l][0]),
          ms: perLabel(labels, (l) => round1(row.ms[l])),
          ...(row.chainFoundBy ? { by: row.chainFoundBy } : {}),
        })),
      ]),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// printing

type Report = ReturnType<typeof buildReport>;

function printTable(report: Report): void {
  const labels = report.detectors;
  const short = (l: string) => l.replace('face68:', '');
  const widths = labels.map((l) => Math.max(7, short(l).length));
  const line = (cells: string[]) =>
    console.log(
      [
        cells[0].padEnd(18),
        cells[1].padStart(4),
        ...cells.slice(2).map((c, i) => c.padStart(widths[i])),
      ].join('  '),
    );
  console.log(`\nfound rate (a face with IoU >= ${MIN_IOU} to the true face)`);
  line(['case', 'n', ...labels.map(short)]);
  const rates = (name: string, g: { n: number; foundRate: Record<string, number> }) =>
    line([name, String(g.n), ...labels.map((l) => pct(g.foundRate[l]))]);
  for (const [name, c] of Object.entries(report.cases)) rates(name, c);
  rates('masked (6 masks)', report.maskedProbes);
  rates('all probes', report.allProbes);
  line(['ms/image (all)', String(report.allProbes.n), ...labels.map((l) => report.msPerImage[l].toFixed(1))]);
}

function printSummary(report: Report): void {
  console.log(`\nchain foundBy, masked probes: ${JSON.stringify(report.maskedProbes.chainFoundBy)}`);
  console.log(`chain foundBy, all probes: ${JSON.stringify(report.allProbes.chainFoundBy)}`);
  const scoreText = (c: ChainScore) => `${pct(c.rate, 2)} (${c.failures} missed, ${c.ms} ms)`;
  const show = (what: string, s: OrderScore | null) =>
    console.log(
      s
        ? `  ${what.padEnd(24)} ${s.order.join(' > ')}\n${' '.repeat(27)}` +
            `masked ${scoreText(s.masked)}, all ${scoreText(s.all)}`
        : `  ${what}: none`,
    );
  const o = report.orderSearch;
  console.log(
    `\nchain orders, simulated (${report.maskedProbes.n} masked probes, ${report.allProbes.n} in all):`,
  );
  show('default chain', o.defaultChain);
  show(`cheapest to ${pct(TARGET_RATE)} masked`, o.cheapestReachingTarget);
  show('best on masked', o.bestOnMasked);
  show('best on all probes', o.bestOnAll);
  console.log('\nthe default chain without one element (hits gained/lost; ms saved per probe):');
  const signed = (v: number) => (v > 0 ? `+${v}` : String(v)).padStart(3);
  for (const [i, m] of report.leaveOneOut.maskedProbes.entries()) {
    const a = report.leaveOneOut.allProbes[i];
    console.log(
      `  ${m.dropped.padEnd(24)} masked ${signed(m.hits)} (${m.msSaved} ms)  all ${signed(a.hits)} (${a.msSaved} ms)`,
    );
  }
  console.log(`simulated vs measured chain: ${report.simulatedChainMismatches.length} probe(s) disagree`);
  console.log('\nchain failures:');
  for (const [name, c] of Object.entries(report.cases)) {
    const files = c.chainFailures;
    if (files.length > 0)
      console.log(`  ${name}: ${files.slice(0, 8).join(', ')}${files.length > 8 ? ', ...' : ''}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

const started = performance.now();
let data: RunData;
let wallSeconds: number | undefined;
if (rowsFrom) {
  const path = resolve(repoRoot, rowsFrom);
  data = loadRun(path);
  wallSeconds = (JSON.parse(readFileSync(path, 'utf8')) as StoredReport).wallSeconds;
  console.log(`detector bench: re-analysing ${rowsFrom} (${data.images} images, ${data.backend})`);
} else {
  const backend = await initBackend({ backend: (process.env.MFR_BACKEND ?? 'wasm') as 'wasm' });
  console.log(
    `detector bench: first image of the first ${limit} LFW identities, ${CASES.length} cases, ${backend}`,
  );
  data = await run();
  wallSeconds = Math.round((performance.now() - started) / 1000);
}
const report = { ...buildReport(data), wallSeconds };
printTable(report);
printSummary(report);
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(report, null, 1)}\n`);
console.log(`\nwrote ${outPath}`);
