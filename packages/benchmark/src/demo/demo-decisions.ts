/**
 * The demo's accept/reject decisions: the model's threshold calibrated at a false accept rate (its
 * `calibration.json`, as the matcher reads it) applied to every probe x gallery pair, `score >= threshold` = accept.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCalibration } from '@mfr/siamese';
import { parseModelSpec } from '../models/parse-spec.js';

/** The false accept rates the demo can decide at (those `calibration.json` holds). */
export const DEMO_FARS = [0.01, 0.001] as const;

/** The default false accept rate of the demo's decisions (1%). */
export const DEFAULT_DEMO_FAR = 0.01;

/** The threshold the demo decides at, or why there is none. */
export type DemoThreshold =
  | { far: number; threshold: number; measuredOn: string; file: string }
  | { far: number; threshold: null; reason: string };

/** One probe x gallery pair in the decision lists. */
export interface DemoPair {
  /** Row of the probe (index into DemoResult.probes). */
  probe: number;
  probeId: string;
  /** Column of the gallery face (index into DemoResult.gallery). */
  gallery: number;
  galleryId: string;
  score: number;
}

/** Every probe x gallery pair decided at the model's calibrated threshold. */
export interface DemoDecisions {
  /** The false accept rate the threshold was calibrated at. */
  far: number;
  /** Pairs with `score >= threshold` are accepted (declared the same person). */
  threshold: number;
  /** Where the threshold was measured (calibration.json's `measuredOn`). */
  measuredOn: string;
  /** Same-person pairs accepted. */
  genuineAccepted: number;
  /** Same-person pairs rejected. */
  falseRejects: number;
  /** Different-person pairs accepted: the false accepts. */
  impostorAccepted: number;
  impostorRejected: number;
  /** The false accepts, highest score first. */
  falseAcceptPairs: DemoPair[];
  /** The false rejects, lowest score first. */
  falseRejectPairs: DemoPair[];
}

/**
 * The threshold of `modelSpec` at `far`: a Siamese checkpoint folder with a `calibration.json`, read with its
 * default `#output` readout (the one the matcher calibrates), has one; baselines, ensembles, other readouts and
 * folders without the file have none (the reason says why). A calibration.json without `far` is an error.
 *
 * @example
 * await demoThreshold(shippedModelDir(), 0.01); // { far: 0.01, threshold: 0.62, measuredOn: '...', file: '...' }
 * await demoThreshold('baseline:faceapi', 0.01); // { far: 0.01, threshold: null, reason: 'baseline:faceapi is ...' }
 */
export async function demoThreshold(
  modelSpec: string,
  far: number = DEFAULT_DEMO_FAR,
): Promise<DemoThreshold> {
  if (!(DEMO_FARS as readonly number[]).includes(far)) {
    throw new Error(`The demo decides at FAR ${DEMO_FARS.join(' or ')}; got ${far}.`);
  }
  const spec = parseModelSpec(modelSpec);
  if (spec.kind === 'baseline') {
    return { far, threshold: null, reason: `${spec.text} is a baseline without a calibrated threshold` };
  }
  if (spec.kind === 'ensemble') {
    return { far, threshold: null, reason: `an ensemble (${spec.text}) has no calibrated threshold` };
  }
  const dir = resolve(spec.path);
  const file = join(dir, 'calibration.json');
  if (!existsSync(file)) {
    return {
      far,
      threshold: null,
      reason: `the checkpoint ${spec.path} has no calibration.json (calibrate it with packages/benchmark/bench/calibrate-matcher.ts)`,
    };
  }
  if (spec.readout !== 'output') {
    return {
      far,
      threshold: null,
      reason: `the calibration.json of ${spec.path} holds thresholds of the #output readout, not #${spec.readout}`,
    };
  }
  let calibration: Awaited<ReturnType<typeof readCalibration>>;
  try {
    calibration = await readCalibration(dir);
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.includes(file) ? message : `${file}: ${message}`);
  }
  const found = calibration.thresholds.find((t) => Math.abs(t.far - far) < 1e-12);
  if (!found || !Number.isFinite(found.threshold)) {
    const calibrated = calibration.thresholds.map((t) => t.far).join(', ');
    throw new Error(
      `${file} has no threshold at FAR ${far} (calibrated: ${calibrated}); pick one of those with --far.`,
    );
  }
  return { far, threshold: found.threshold, measuredOn: String(calibration.measuredOn ?? 'unknown'), file };
}

/**
 * Decides every probe x gallery pair at `threshold` (`score >= threshold` = accept). `scores` has one row per
 * probe and one column per gallery face; `trueIndex[i]` is the column of probe i's own face, `probeIds` and
 * `galleryIds` name rows and columns.
 *
 * @example
 * demoDecisions([[0.9, 0.7], [0.2, 0.4]], [0, 1], ['a', 'b'], ['A', 'B'], { far: 0.01, threshold: 0.5, measuredOn: 'x' });
 * // genuineAccepted 1, falseRejects 1 (b vs B, 0.4), impostorAccepted 1 (a vs B, 0.7), impostorRejected 1
 */
export function demoDecisions(
  scores: readonly (readonly number[])[],
  trueIndex: readonly number[],
  probeIds: readonly string[],
  galleryIds: readonly string[],
  at: { far: number; threshold: number; measuredOn: string },
): DemoDecisions {
  const falseAcceptPairs: DemoPair[] = [];
  const falseRejectPairs: DemoPair[] = [];
  let genuineAccepted = 0;
  let impostorRejected = 0;
  scores.forEach((row, i) => {
    row.forEach((score, j) => {
      const accepted = score >= at.threshold;
      const pair = () => ({ probe: i, probeId: probeIds[i], gallery: j, galleryId: galleryIds[j], score });
      if (j === trueIndex[i]) {
        if (accepted) genuineAccepted++;
        else falseRejectPairs.push(pair());
      } else if (accepted) falseAcceptPairs.push(pair());
      else impostorRejected++;
    });
  });
  falseAcceptPairs.sort((a, b) => b.score - a.score);
  falseRejectPairs.sort((a, b) => a.score - b.score);
  return {
    far: at.far,
    threshold: at.threshold,
    measuredOn: at.measuredOn,
    genuineAccepted,
    falseRejects: falseRejectPairs.length,
    impostorAccepted: falseAcceptPairs.length,
    impostorRejected,
    falseAcceptPairs,
    falseRejectPairs,
  };
}

/**
 * One line on the decisions: counts at the threshold, or why there are none. It names where the threshold was
 * calibrated and the share of false accepts on these faces, which can be far from the calibrated rate: a
 * threshold travels only as well as the faces it was measured on resemble these.
 *
 * @example
 * decisionsLine(result.decisions, result.noDecisionsReason);
 * // 'decisions at the threshold for FAR 1% on benchmarks/pairs/lfw-view2.tsv folds 1,2,3,4,5 (0.6200): 6 of 6 same-person pairs
 * //  accepted (0 false rejects), 1 of 30 different-person pairs accepted (false accepts: 3.3% here)'
 */
export function decisionsLine(decisions: DemoDecisions | null, noDecisionsReason: string | null): string {
  if (!decisions) return `no accept/reject decisions: ${noDecisionsReason ?? 'no calibrated threshold'}`;
  const d = decisions;
  const genuine = d.genuineAccepted + d.falseRejects;
  const impostor = d.impostorAccepted + d.impostorRejected;
  // measuredOn reads "<pair list> <folds>: <details>"; the part before ': ' says where (a drive letter's colon stays)
  const where = d.measuredOn.split(': ')[0];
  const here = impostor > 0 ? `: ${formatFar(Number((d.impostorAccepted / impostor).toFixed(3)))} here` : '';
  return `decisions at the threshold for FAR ${formatFar(d.far)} on ${where} (${d.threshold.toFixed(4)}): ${d.genuineAccepted} of ${genuine} same-person pairs accepted (${d.falseRejects} false reject${d.falseRejects === 1 ? '' : 's'}), ${d.impostorAccepted} of ${impostor} different-person pairs accepted (false accepts${here})`;
}

/** A false accept rate as a percentage: 0.01 -> '1%', 0.001 -> '0.1%'. */
export function formatFar(far: number): string {
  return `${Number((100 * far).toPrecision(6))}%`;
}
