/**
 * The demo: find faces, mask them, and match every masked face against all unmasked faces (1:N), with one
 * model (the shipped, calibrated Siamese model of @mfr/siamese unless told otherwise). On face-api's sample
 * photos (default) every detected face is an identity: its unmasked face is the gallery entry and a crop of the
 * same photo with that face masked is the probe. With a folder-per-identity dataset, the first image of each
 * identity is the gallery entry and the next ones, masked, are probes. Detection and alignment are redone on
 * every masked probe. A model with a calibration.json also gets every pair decided at its threshold.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { cropAndResize, pixelsToTensor, type RgbPixels } from '@mfr/core';
import { readImagePixels, writeImage } from '@mfr/core/node';
import { DEFAULT_MASK_SPEC, renderMask } from '@mfr/masking';
import { verificationReport } from '@mfr/metrics';
import { shippedModelDir } from '@mfr/siamese/node';
import type * as tf from '@tensorflow/tfjs-core';
import { listIdentities } from '../datasets/folder.js';
import { loadModels } from '../models/create.js';
import { type Box, createFaceAnalyzer, type FaceAnalysis } from '../models/face-analysis.js';
import { scoreHealth } from '../runner/score-health.js';
import { DEFAULT_DEMO_FAR, type DemoDecisions, demoDecisions, demoThreshold } from './demo-decisions.js';
import { demoRanks } from './demo-ranks.js';
import { sampleImagePaths } from './sources.js';

export {
  DEFAULT_DEMO_FAR,
  DEMO_FARS,
  type DemoDecisions,
  type DemoPair,
  type DemoThreshold,
  decisionsLine,
  demoDecisions,
  demoThreshold,
  formatFar,
} from './demo-decisions.js';

/** A baseline that needs no trained model (the best EER on masked LFW probes among the baselines). */
export const DEFAULT_DEMO_BASELINE = 'baseline:faceapi';

/** Options of {@link runDemo}; defaults in brackets. */
export interface DemoOptions {
  /** A model argument (as `mfr bench --models` takes one) [the shipped model, `shippedModelDir()` of @mfr/siamese]. */
  model?: string;
  /** The false accept rate whose calibrated threshold decides the pairs: 0.01 or 0.001 [0.01]. */
  far?: number;
  /** A folder-per-identity dataset [face-api's sample photos]. */
  data?: string;
  /** Probes per identity in --data mode [2]. */
  probesPerIdentity?: number;
  /** At most this many identities in --data mode [50]. */
  maxIdentities?: number;
  /** Mask description [light-blue NIST-style]. */
  maskSpec?: Record<string, unknown>;
  /** Seed of the masks [1]. */
  seed?: number;
  /** Folder for thumbnails (written when given). */
  thumbsDir?: string;
  /** Progress: stage, done, total. */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Human log lines. */
  log?: (line: string) => void;
}

/** One gallery (unmasked) face. */
export interface DemoFace {
  id: string;
  /** Source image, relative to the demo's data folder (or the sample's file name). */
  source: string;
  box: Box;
  thumbnail?: string;
}

/** The 1:N result of one masked probe. */
export interface DemoProbe extends DemoFace {
  /** Index of its own unmasked face in the gallery. */
  trueIndex: number;
  /** 1 + the other faces scoring at least as high as its own (ties count against it); 1 = top-1 correct. */
  rank: number;
  top1: boolean;
  /** The highest-scoring gallery face (another face when one ties with its own). */
  bestIndex: number;
  trueScore: number;
  bestScore: number;
  /** Whether the detector found the masked face ('face') or the centre-crop fallback was used. */
  detection: 'face' | 'fallback';
  /** The highest-scoring other person's face: the probe's closest lookalike (its hardest impostor pair). */
  closestImpostorIndex: number;
  closestImpostorScore: number;
}

/** What the demo produced. */
export interface DemoResult {
  model: string;
  modelSpec: string;
  source: string;
  /**
   * What the same-person pairs are: 'sample-photos', a crop of the reference's own photo with a mask drawn on it;
   * 'folder' (--data), another photo of the same person, masked.
   */
  mode: 'sample-photos' | 'folder';
  gallery: DemoFace[];
  probes: DemoProbe[];
  /** Faces that could not be masked (no landmarks found on the unmasked image). */
  skipped: number;
  top1Accuracy: number;
  meanRank: number;
  /** Verification over all probe x gallery pairs (1 genuine per probe). */
  eer: number;
  frr100: number;
  genuinePairs: number;
  impostorPairs: number;
  /** Every probe x gallery pair decided at the model's calibrated threshold; null when it has none. */
  decisions: DemoDecisions | null;
  /** Why `decisions` is null (e.g. a baseline has no calibrated threshold); null when there are decisions. */
  noDecisionsReason: string | null;
  /** Every probe x gallery score (rows probes). */
  scores: number[][];
  seconds: number;
}

/**
 * Which model the demo uses: `requested`, else the model shipped with @mfr/siamese (a calibrated Siamese
 * checkpoint folder, `shippedModelDir()`).
 *
 * @example
 * chooseDemoModel(undefined);          // '/…/packages/siamese/models/faceres-faceapi-masked-heads-v4'
 * chooseDemoModel('baseline:faceres'); // 'baseline:faceres'
 */
export function chooseDemoModel(requested: string | undefined): string {
  return requested || shippedModelDir();
}

interface Probe {
  id: string;
  source: string;
  truth: number;
  box: Box;
  /** The masked probe image (a crop around the face) and its size. */
  pixels: RgbPixels;
}

/**
 * Runs the demo and returns the 1:N and verification results (writing the report is separate).
 *
 * @example
 * const result = await runDemo({ thumbsDir: 'mfr-demo/thumbs' });
 * result.top1Accuracy; result.eer;
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const progress = options.onProgress ?? (() => undefined);
  const spec = options.maskSpec ?? { ...DEFAULT_MASK_SPEC };
  const modelSpec = chooseDemoModel(options.model);
  if (!options.model && !existsSync(join(modelSpec, 'siamese.json'))) {
    throw new Error(
      `The shipped model is missing: ${modelSpec} has no siamese.json. Reinstall @mfr/siamese (pnpm install; pnpm build), or pick a model with --model (e.g. --model ${DEFAULT_DEMO_BASELINE}).`,
    );
  }
  // the threshold first: a calibration.json without the asked FAR fails before any face is read
  const threshold = await demoThreshold(modelSpec, options.far ?? DEFAULT_DEMO_FAR);
  const loaded = await loadModels([modelSpec]);
  const scorer = loaded.scorers[0];
  const analyzer = await createFaceAnalyzer({ maxFaces: 50 });
  const gallery: DemoFace[] = [];
  const galleryVectors: Float32Array[][] = [];
  const probes: Probe[] = [];
  let skipped = 0;
  let seed = options.seed ?? 1;
  const embedAll = async (image: tf.Tensor3D, analysis: FaceAnalysis) => {
    const vectors: Float32Array[] = [];
    for (const index of scorer.members) {
      vectors.push(await loaded.models[index].embed({ path: '', image, analysis: async () => analysis }));
    }
    return vectors;
  };
  const addThumb = async (image: tf.Tensor3D, box: Box, name: string): Promise<string | undefined> => {
    if (!options.thumbsDir) return undefined;
    const grown = grow(box, 0.25, image.shape[1], image.shape[0]);
    const crop = cropAndResize(image, grown, [
      112,
      Math.max(1, Math.round((112 * grown.width) / grown.height)),
    ]);
    try {
      await writeImage(join(options.thumbsDir, name), crop, { quality: 80 });
      return name;
    } finally {
      crop.dispose();
    }
  };
  const makeProbe = (pixels: RgbPixels, face: FaceAnalysis, id: string, source: string, truth: number) => {
    const { image: masked } = renderMask(pixels, face.landmarks68!, spec as never, { seed: seed++ });
    // the probe is a crop around the face: a photo of one person, as at a checkpoint
    const region = grow(face.box, 0.6, pixels.width, pixels.height);
    probes.push({ id, source, truth, box: face.box, pixels: cropPixels({ ...masked, channels: 3 }, region) });
  };

  try {
    if (!options.data) {
      const files = sampleImagePaths();
      for (const [k, file] of files.entries()) {
        progress('detecting faces', k, files.length);
        const pixels = await readImagePixels(file);
        const image = pixelsToTensor(pixels);
        try {
          const faces = await analyzer.analyzeAll(image);
          for (const [j, face] of faces.entries()) {
            const id = `sample${k + 1}-face${j + 1}`;
            const truth = gallery.length;
            gallery.push({
              id,
              source: `sample${k + 1}.jpg`,
              box: face.box,
              thumbnail: await addThumb(image, face.box, `thumbs/${id}.jpg`),
            });
            galleryVectors.push(await embedAll(image, face));
            makeProbe(pixels, face, id, `sample${k + 1}.jpg`, truth);
          }
        } finally {
          image.dispose();
        }
      }
      progress('detecting faces', files.length, files.length);
      log(`face-api sample photos: ${gallery.length} faces in ${files.length} photos`);
    } else {
      const root = resolve(options.data);
      const identities = (await listIdentities(root)).slice(0, options.maxIdentities ?? 50);
      const perIdentity = options.probesPerIdentity ?? 2;
      for (const [k, identity] of identities.entries()) {
        progress('reading identities', k, identities.length);
        const [first, ...rest] = identity.images;
        const pixels = await readImagePixels(join(root, first));
        const image = pixelsToTensor(pixels);
        const truth = gallery.length;
        try {
          const face = await analyzer.analyze(image, 0.6);
          gallery.push({
            id: identity.identity,
            source: first,
            box: face.box,
            thumbnail: await addThumb(image, face.box, `thumbs/gallery-${k}.jpg`),
          });
          galleryVectors.push(await embedAll(image, face));
        } finally {
          image.dispose();
        }
        for (const file of rest.slice(0, perIdentity)) {
          const probePixels = await readImagePixels(join(root, file));
          const probeImage = pixelsToTensor(probePixels);
          try {
            const face = await analyzer.analyze(probeImage, 0.6);
            if (face.status !== 'face' || !face.landmarks68) {
              skipped++; // no landmarks: the mask cannot be placed
              continue;
            }
            makeProbe(probePixels, face, identity.identity, file, truth);
          } finally {
            probeImage.dispose();
          }
        }
      }
      log(
        `${relative(process.cwd(), root) || root}: ${gallery.length} identities, ${probes.length} masked probes`,
      );
    }
    if (gallery.length < 2 || probes.length === 0) {
      throw new Error(
        `The demo found ${gallery.length} faces and made ${probes.length} masked probes; it needs at least 2 faces and 1 probe (check --data).`,
      );
    }

    // 1:N matching: every masked probe against every unmasked gallery face
    const matched: { detection: 'face' | 'fallback'; thumbnail?: string }[] = [];
    const scores: number[][] = [];
    for (const [i, probe] of probes.entries()) {
      progress('matching masked probes', i, probes.length);
      const image = pixelsToTensor(probe.pixels);
      try {
        const analysis = await analyzer.analyze(image, 0.6);
        const vectors = await embedAll(image, analysis);
        scores.push(galleryVectors.map((g) => loaded.score(scorer, g, vectors)));
        const thumbnail = await addThumb(
          image,
          { x: 0, y: 0, width: image.shape[1], height: image.shape[0] },
          `thumbs/probe-${i}.jpg`,
        );
        matched.push({ detection: analysis.status, thumbnail });
      } finally {
        image.dispose();
      }
    }
    progress('matching masked probes', probes.length, probes.length);
    assertWorkingModel(modelSpec, scorer.label, scores);
    const truths = probes.map((p) => p.truth);
    const ranks = demoRanks(scores, truths);
    const results: DemoProbe[] = probes.map((probe, i) => {
      const { rank, top1, bestIndex } = ranks.probes[i];
      const closestImpostorIndex = closestOther(scores[i], probe.truth);
      return {
        id: probe.id,
        source: probe.source,
        box: probe.box,
        thumbnail: matched[i].thumbnail,
        trueIndex: probe.truth,
        rank,
        top1,
        bestIndex,
        trueScore: scores[i][probe.truth],
        bestScore: scores[i][bestIndex],
        detection: matched[i].detection,
        closestImpostorIndex,
        closestImpostorScore: scores[i][closestImpostorIndex],
      };
    });
    const labels: (0 | 1)[] = [];
    const flat: number[] = [];
    scores.forEach((row, i) => {
      row.forEach((s, j) => {
        flat.push(s);
        labels.push(j === probes[i].truth ? 1 : 0);
      });
    });
    const report = verificationReport({ scores: flat, labels });
    const decisions =
      threshold.threshold === null
        ? null
        : demoDecisions(
            scores,
            truths,
            probes.map((p) => p.id),
            gallery.map((g) => g.id),
            threshold,
          );
    return {
      model: scorer.label,
      modelSpec,
      source: options.data ? resolve(options.data) : 'face-api sample photos (sample1-6.jpg)',
      mode: options.data ? 'folder' : 'sample-photos',
      gallery,
      probes: results,
      skipped,
      top1Accuracy: ranks.top1Accuracy,
      meanRank: ranks.meanRank,
      eer: report.eer,
      frr100: report.frr100.frr,
      genuinePairs: report.genuineCount,
      impostorPairs: report.impostorCount,
      decisions,
      noDecisionsReason: threshold.threshold === null ? threshold.reason : null,
      scores,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    loaded.dispose();
  }
}

/**
 * Throws when the model's probe x gallery scores show a broken model (NaN, infinite, or one value for every
 * pair; see scoreHealth): its ranks and top-1 accuracy would mean nothing.
 *
 * @example
 * assertWorkingModel('out/run1/best', 'run1/best#output', [[0.5, 0.5], [0.5, 0.5]]);
 * // throws: Model "out/run1/best" (run1/best#output) is broken: all 4 probe x gallery scores are the same value, ...
 */
export function assertWorkingModel(
  spec: string,
  label: string,
  scores: readonly (readonly number[])[],
): void {
  const health = scoreHealth(scores.flat(), 'probe x gallery scores');
  if (health.ok) return;
  const name = spec === label || spec === `baseline:${label}` ? `"${spec}"` : `"${spec}" (${label})`;
  const fix = spec.startsWith('baseline:')
    ? 'Its model files may be damaged: run pnpm install again, or pick another --model.'
    : `Retrain it (e.g. with a lower learning rate) or pick another checkpoint with --model; ${DEFAULT_DEMO_BASELINE} needs none.`;
  throw new Error(`Model ${name} is broken: ${health.message}. ${fix}`);
}

/** Index of the highest score in `row` other than column `truth` (the first one on ties). */
function closestOther(row: readonly number[], truth: number): number {
  let best = -1;
  for (let j = 0; j < row.length; j++) {
    if (j !== truth && (best < 0 || row[j] > row[best])) best = j;
  }
  return best;
}

/** A box grown by `fraction` of its size on every side, clamped to the image. */
function grow(box: Box, fraction: number, width: number, height: number): Box {
  const x0 = Math.max(0, box.x - box.width * fraction);
  const y0 = Math.max(0, box.y - box.height * fraction);
  const x1 = Math.min(width, box.x + box.width * (1 + fraction));
  const y1 = Math.min(height, box.y + box.height * (1 + fraction));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** Copies a rectangle (rounded to whole pixels) out of RGB pixels. */
function cropPixels(image: RgbPixels | (RgbPixels & { channels: 3 }), box: Box): RgbPixels {
  const x0 = Math.round(box.x);
  const y0 = Math.round(box.y);
  const w = Math.max(1, Math.min(image.width - x0, Math.round(box.width)));
  const h = Math.max(1, Math.min(image.height - y0, Math.round(box.height)));
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * image.width + x0) * 3;
    data.set(image.data.subarray(from, from + w * 3), y * w * 3);
  }
  return { data, width: w, height: h, channels: 3 };
}
