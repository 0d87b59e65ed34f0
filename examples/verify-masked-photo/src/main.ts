/**
 * Verify a masked photo (the probe: a face with a mask, as at a checkpoint) against an unmasked ID photo (the
 * reference: passport, licence, staff card) with the matcher and its shipped, calibrated model.
 *
 *   pnpm --filter @mfr/example-verify-masked-photo start -- <id photo> <masked photo> [far]
 *   far: the false accept rate to decide at, 0.01 (default) or 0.001
 */
import { pathToFileURL } from 'node:url';
import { createMatcher, type Verification } from '@mfr/siamese';

/** Options of {@link verifyMaskedPhoto}. */
export interface VerifyOptions {
  /** The unmasked ID photo. */
  idPhoto: string;
  /** The masked photo to check. */
  maskedPhoto: string;
  /** False accept rate of the decision threshold (default 0.01). */
  far?: number;
  /** A Siamese checkpoint folder with calibration.json (default: the shipped model). */
  model?: string;
}

/**
 * Scores one masked photo against one ID photo; `match` is decided at the model's calibrated threshold.
 *
 * @example
 * const v = await verifyMaskedPhoto({ idPhoto: 'passport.jpg', maskedPhoto: 'gate-camera.jpg' });
 * v.match; v.score; v.probe?.foundBy;
 */
export async function verifyMaskedPhoto(options: VerifyOptions): Promise<Verification> {
  const matcher = await createMatcher({ model: options.model, far: options.far });
  try {
    return await matcher.verify(options.idPhoto, options.maskedPhoto);
  } finally {
    matcher.dispose();
  }
}

async function cli(): Promise<void> {
  const [idPhoto, maskedPhoto, far] = process.argv.slice(2);
  if (!idPhoto || !maskedPhoto) {
    process.stderr.write('usage: main.ts <id photo> <masked photo> [far]\n');
    process.exitCode = 2;
    return;
  }
  const v = await verifyMaskedPhoto({
    idPhoto,
    maskedPhoto,
    far: far === undefined ? undefined : Number(far),
  });
  if (v.score === null) {
    process.stdout.write(`NO ANSWER: ${v.reason}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(
    `${v.match ? 'SAME PERSON' : 'DIFFERENT PEOPLE'}: score ${v.score.toFixed(3)} vs threshold ${v.threshold.toFixed(3)} ` +
      `at FAR ${v.far} (faces found by ${v.reference.foundBy} and ${v.probe.foundBy})\n`,
  );
  process.exitCode = v.match ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  });
}
