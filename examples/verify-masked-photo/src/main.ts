/**
 * Verify a masked photo (the probe: a face with a mask, as at a checkpoint) against an unmasked ID photo (the
 * reference: passport, licence, staff card) with a face model, and decide "same person" with a threshold.
 *
 *   pnpm --filter @mfr/example-verify-masked-photo start -- <id photo> <masked photo> [model] [threshold]
 *   model: baseline:faceapi (default), baseline:faceres, baseline:mobileface, or a Siamese checkpoint folder[#readout]
 */
import { pathToFileURL } from 'node:url';
import { createFaceAnalyzer, loadModels } from '@mfr/benchmark';
import { initBackend, readImage } from '@mfr/core';

/**
 * Thresholds at the equal-error point of each baseline on masked LFW View 2 probes (cosine similarity; see
 * docs/benchmark.md). A trained model's threshold comes from its own benchmark run (`eerThreshold` in
 * results.json) or from `mfr metrics` on its scores.
 */
export const EER_THRESHOLDS: Readonly<Record<string, number>> = Object.freeze({
  'baseline:faceapi': 0.89,
  'baseline:faceres': 0.41,
  'baseline:mobileface': 0.1,
});

/** Options of {@link verifyMaskedPhoto}. */
export interface VerifyOptions {
  /** The unmasked ID photo. */
  idPhoto: string;
  /** The masked photo to check. */
  maskedPhoto: string;
  /** A model argument as `mfr bench --models` takes it (default 'baseline:faceapi'). */
  model?: string;
  /** Decision threshold on the score (default: EER_THRESHOLDS for baselines; required for other models). */
  threshold?: number;
}

/** The verdict. */
export interface Verification {
  model: string;
  /** Similarity, higher = more likely the same person. */
  score: number;
  threshold: number;
  samePerson: boolean;
  /** Whether a face was detected in each photo ('fallback': a centre crop was used). */
  detection: { idPhoto: 'face' | 'fallback'; maskedPhoto: 'face' | 'fallback' };
}

/**
 * Scores one masked photo against one ID photo. Faces are detected and aligned in each photo (the masked one too).
 *
 * @example
 * const v = await verifyMaskedPhoto({ idPhoto: 'passport.jpg', maskedPhoto: 'gate-camera.jpg' });
 * v.samePerson; v.score;
 */
export async function verifyMaskedPhoto(options: VerifyOptions): Promise<Verification> {
  const model = options.model ?? 'baseline:faceapi';
  const threshold = options.threshold ?? EER_THRESHOLDS[model];
  if (threshold === undefined) {
    throw new Error(
      `No default threshold for "${model}": pass one (e.g. the eerThreshold of its mfr bench results).`,
    );
  }
  await initBackend();
  const loaded = await loadModels([model]);
  const analyzer = await createFaceAnalyzer();
  try {
    const scorer = loaded.scorers[0];
    const describe = async (path: string) => {
      const image = await readImage(path);
      try {
        // pre-aligned ID photos have the face in the middle: the fallback crop covers 60% of the shorter side
        const analysis = await analyzer.analyze(image, 0.6);
        const vectors: Float32Array[] = [];
        for (const i of scorer.members) {
          vectors.push(await loaded.models[i].embed({ path, image, analysis: async () => analysis }));
        }
        return { vectors, detection: analysis.status };
      } finally {
        image.dispose();
      }
    };
    const reference = await describe(options.idPhoto);
    const probe = await describe(options.maskedPhoto);
    const score = loaded.score(scorer, reference.vectors, probe.vectors);
    return {
      model,
      score,
      threshold,
      samePerson: score >= threshold,
      detection: { idPhoto: reference.detection, maskedPhoto: probe.detection },
    };
  } finally {
    loaded.dispose();
  }
}

async function cli(): Promise<void> {
  const [idPhoto, maskedPhoto, model, threshold] = process.argv.slice(2);
  if (!idPhoto || !maskedPhoto) {
    process.stderr.write('usage: main.ts <id photo> <masked photo> [model] [threshold]\n');
    process.exitCode = 2;
    return;
  }
  const v = await verifyMaskedPhoto({
    idPhoto,
    maskedPhoto,
    model,
    threshold: threshold === undefined ? undefined : Number(threshold),
  });
  process.stdout.write(
    `${v.samePerson ? 'SAME PERSON' : 'DIFFERENT PEOPLE'}: score ${v.score.toFixed(3)} vs threshold ${v.threshold} (${v.model}; faces: ID ${v.detection.idPhoto}, masked ${v.detection.maskedPhoto})\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
