import { existsSync } from 'node:fs';
import { createMatcher, type FaceInfo } from '@mfr/siamese';
import { type Command, Option } from 'commander';
import { startBackend } from '../cli-support/backend.js';
import { ExitCodeError } from '../cli-support/errors.js';
import { reportResult } from '../cli-support/json-output.js';
import { parseFloatOption } from '../cli-support/options.js';

interface VerifyCommandOptions {
  model?: string;
  far: number;
  fallback: 'none' | 'center-crop';
  aligned?: boolean;
  backend?: string;
  json?: boolean;
}

/** Exit codes of `mfr verify`: a match, no match, or no answer (no face, unreadable file, bad model). */
export const VERIFY_EXIT = { match: 0, noMatch: 1, error: 2 } as const;

/**
 * Registers `mfr verify <reference> <probe>`: one pair through the matcher (the shipped model by default),
 * exit 0 for a match, 1 for no match, 2 when no answer could be given.
 *
 * @example
 * registerVerifyCommand(program);
 * // mfr verify passport.jpg gate.jpg --far 0.001 --json
 */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      'Is the person in <probe> (masked or not) the person in <reference>? One pair, through the matcher.',
    )
    .argument('<reference>', 'unmasked reference photo (ID photo, staff card)')
    .argument('<probe>', 'probe photo, masked or not')
    .option('--model <dir>', 'a Siamese checkpoint folder with calibration.json (default: the shipped model)')
    .option(
      '--far <rate>',
      'decide at the threshold calibrated for this false accept rate',
      parseFloatOption({ min: 0, max: 1 }),
      0.01,
    )
    .addOption(
      new Option('--fallback <mode>', 'when no face is found: report it (none) or use the photo centre')
        .choices(['none', 'center-crop'])
        .default('none'),
    )
    .option('--aligned', 'both photos are already aligned face crops: skip detection')
    .option('--backend <name>', 'tfjs backend: tfjs-node, wasm, cpu (default: the fastest available)')
    .option('--json', 'print one JSON object as the last line of stdout')
    .addHelpText(
      'after',
      `
Exit status: 0 match, 1 no match, 2 no answer (no face found, unreadable file, unknown model).
The threshold is the model's, calibrated at --far on people it never trained on (0.01 and 0.001 ship).

Examples:
  mfr verify passport.jpg gate-camera.jpg
  mfr verify id.png masked.jpg --far 0.001 --json`,
    )
    .action(async (reference: string, probe: string, options: VerifyCommandOptions, command: Command) => {
      try {
        await verifyPair(reference, probe, options, command);
      } catch (error) {
        // exit 1 means "no match": any failure is "no answer", exit 2
        throw new ExitCodeError((error as Error).message, VERIFY_EXIT.error);
      }
    });
}

async function verifyPair(
  reference: string,
  probe: string,
  options: VerifyCommandOptions,
  command: Command,
): Promise<void> {
  for (const [role, path] of [
    ['reference', reference],
    ['probe', probe],
  ]) {
    if (!existsSync(path)) throw new Error(`${role} photo "${path}" does not exist`);
  }
  await startBackend(command, options.backend);
  const matcher = await createMatcher({ model: options.model, far: options.far, fallback: options.fallback });
  try {
    const r = await matcher.verify(reference, probe, { aligned: options.aligned });
    const describe = (role: string, face: FaceInfo | null) =>
      face
        ? `${role}: face at (${Math.round(face.box.x)}, ${Math.round(face.box.y)}) ${Math.round(face.box.width)}x${Math.round(face.box.height)} px, found by ${face.foundBy}${face.facesFound > 1 ? ` (largest of ${face.facesFound})` : ''}`
        : `${role}: no face found`;
    const verdict =
      r.score === null
        ? `no answer: ${r.reason === 'no-face-in-probe' ? 'no face in the probe' : 'no face in the reference'} (try --fallback center-crop)`
        : `${r.match ? 'MATCH' : 'NO MATCH'}: score ${r.score.toFixed(4)} ${r.match ? '>=' : '<'} threshold ${r.threshold.toFixed(4)} (FAR ${r.far})`;
    reportResult(options.json, [describe('reference', r.reference), describe('probe', r.probe), verdict], {
      ...r,
      files: { reference, probe },
      model: matcher.info.model,
      backend: matcher.info.backend,
    });
    process.exitCode =
      r.score === null ? VERIFY_EXIT.error : r.match ? VERIFY_EXIT.match : VERIFY_EXIT.noMatch;
  } finally {
    matcher.dispose();
  }
}
