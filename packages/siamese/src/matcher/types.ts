/** The matcher's results and options. */
import type { BoundingBox } from '@mfr/masking';
import type { MatcherInput } from './inputs.js';

/** Which face of a photo was used, and how it was found. */
export interface FaceInfo {
  /** The face in the photo's pixels. */
  box: BoundingBox;
  /** Detector confidence in [0, 1] (1 for FaceMesh, which reports none; 0 for a centre crop). */
  detectorScore: number;
  /** The detector that found it (e.g. `face68:tiny@96`, `facemesh`), `center-crop` or `aligned` (as given). */
  foundBy: string;
  /** Faces found in the photo (the used one is the largest unless `pickFace` says otherwise). */
  facesFound: number;
}

/** Milliseconds of each stage of one call (0 for stages an enrolled face skipped). */
export interface MatcherTimings {
  /** Reading and decoding the photos. */
  decode: number;
  /** Finding the faces and their landmarks. */
  detect: number;
  /** Aligning the faces to the model's template. */
  align: number;
  /** The frozen extractor's embeddings. */
  embed: number;
  /** The Siamese head's score(s). */
  head: number;
}

/** Why no score could be given. */
export type NoFaceReason = 'no-face-in-reference' | 'no-face-in-probe';

/** The answer of {@link Matcher.verify}. */
export type Verification =
  | {
      /** Similarity in [0, 1]: the model's output sigmoid, higher = more likely the same person. */
      score: number;
      /** `score >= threshold`. */
      match: boolean;
      /** The decision threshold: the model's calibrated threshold at `far`. */
      threshold: number;
      /** The false accept rate the threshold was calibrated for, on people the model never trained on. */
      far: number;
      reference: FaceInfo;
      probe: FaceInfo;
      reason?: undefined;
      timings: MatcherTimings;
    }
  | {
      score: null;
      match: false;
      threshold: number;
      far: number;
      reason: NoFaceReason;
      reference: FaceInfo | null;
      probe: FaceInfo | null;
      timings: MatcherTimings;
    };

/** A reference embedded once (see {@link Matcher.enroll}); verify many probes against it. Holds no tensors. */
export interface EnrolledFace {
  readonly kind: 'enrolled';
  /** The model's prepared embedding of the face (for an ensemble, its members' side by side). */
  readonly embedding: Float32Array;
  readonly face: FaceInfo;
  /** The caller's label, returned by `identify`. */
  readonly label?: string;
  /** How long finding and embedding the face took. */
  readonly timings: MatcherTimings;
}

/** One candidate of {@link Matcher.identify}, best first. */
export interface IdentifyMatch {
  /** Index in the gallery given. */
  index: number;
  label?: string;
  score: number;
  match: boolean;
}

/** Per-call options of verify / enroll / identify. */
export interface FaceOptions {
  /**
   * The input is already an aligned face crop (5-point ArcFace alignment, any square size): skip detection.
   * Default false.
   */
  aligned?: boolean;
  /** Which face to use when several are found: their boxes, largest first -> the index to use. Default 0. */
  pickFace?: (faces: readonly FaceInfo[]) => number;
  /**
   * When no face is found: 'none' (default) reports it (`reason`, or throws with `onNoFace: 'throw'`);
   * 'center-crop' uses the centre of the photo as the face instead, and says so (`foundBy: 'center-crop'`).
   */
  fallback?: 'none' | 'center-crop';
}

/** Options of {@link Matcher.verify} and {@link Matcher.identify}. */
export interface DecisionOptions extends FaceOptions {
  /** Decide at the threshold calibrated for this false accept rate (0.01 or 0.001). Default: the matcher's. */
  far?: number;
}

/** A photo, or a face enrolled before (for references, and for probes scored many times). */
export type ReferenceInput = MatcherInput | EnrolledFace;

/** Verifies masked probes against unmasked references; see `createMatcher`. */
export interface Matcher {
  /** The model's name, its calibrated thresholds and the backend in use. */
  readonly info: MatcherInfo;
  /** Is `probe` (masked or not) the person of `reference`? Either may be a face enrolled before. */
  verify(reference: ReferenceInput, probe: ReferenceInput, options?: DecisionOptions): Promise<Verification>;
  /** Finds and embeds the face of a reference photo once. Throws when it has no face (unless a fallback is asked). */
  enroll(reference: MatcherInput, options?: FaceOptions & { label?: string }): Promise<EnrolledFace>;
  /** The `k` gallery faces most similar to the probe, best first (ties keep gallery order). */
  identify(
    probe: ReferenceInput,
    gallery: readonly ReferenceInput[],
    k?: number,
    options?: DecisionOptions,
  ): Promise<{
    probe: FaceInfo | null;
    matches: IdentifyMatch[];
    reason?: 'no-face-in-probe';
    timings: MatcherTimings;
  }>;
  /** The calibrated threshold at a false accept rate. */
  threshold(far?: number): number;
  /** Frees the models. The matcher cannot be used afterwards. */
  dispose(): void;
}

/** A calibrated operating point of a shipped model. */
export interface MatcherThreshold {
  far: number;
  threshold: number;
}

/** What a matcher runs. */
export interface MatcherInfo {
  model: string;
  thresholds: readonly MatcherThreshold[];
  /** The default false accept rate of `match`. */
  far: number;
  backend: string;
  /** The face finder's detectors, in the order they are tried. */
  detectors: readonly string[];
}
