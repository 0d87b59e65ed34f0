/**
 * Calibrates a matcher model on people it never trained on, through the matcher itself (the same face finder,
 * alignment and head a user gets), and writes the model's calibration.json: thresholds at FAR 1% and 0.1%, EER,
 * FRR100 and fold statistics.
 *
 *   node --import tsx packages/benchmark/bench/calibrate-matcher.ts --model <checkpoint dir> \
 *     --data <dataset root> --masked <mfr mask output> --pairs benchmarks/pairs/lfw-view2.tsv --folds 1,2,3,4,5 \
 *     [--exclude-identities <split.json>] [--limit N] [--write] [--out bench-results/calibration.json]
 *     [--passes '<JSON list of detector passes>']   (the face finder's chain; default: the matcher's)
 *     [--flip]   (test-time flip: a pair's score is the mean of its score and its mirrored photos' score)
 *
 * A pair is (unmasked reference, masked copy of the probe photo); pairs whose probe `mfr mask` did not mask, or
 * with an excluded identity, are left out and counted. Pairs whose photos have no face found are counted as
 * the matcher reports them (no answer) and left out of the statistics.
 */
import { writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '@mfr/core';
import { readImagePixels } from '@mfr/core/node';
import { readMaskManifest } from '@mfr/masking/node';
import { thresholdAtFar, verificationReport } from '@mfr/metrics';
import { createMatcher, type EnrolledFace } from '@mfr/siamese';
import { identityOf } from '../src/datasets/folder.js';
import { parsePairsTsv } from '../src/pairs/tsv.js';
import { readExcludedIdentities } from '../src/runner/exclude.js';
import { meanStd } from '../src/runner/statistics.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    masked: { type: 'string' },
    pairs: { type: 'string', default: 'benchmarks/pairs/lfw-view2.tsv' },
    folds: { type: 'string' },
    'exclude-identities': { type: 'string' },
    limit: { type: 'string' },
    write: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results/calibration.json' },
    passes: { type: 'string' },
    flip: { type: 'boolean', default: false },
  },
});
if (!values.model || !values.data || !values.masked) {
  console.error(
    'usage: calibrate-matcher.ts --model <dir> --data <dataset root> --masked <mfr mask output> [...]',
  );
  process.exit(2);
}
if (values.flip && values.write) {
  console.error(
    '--flip measures test-time flip; the matcher does not flip, so its thresholds must not come from it (drop --write)',
  );
  process.exit(2);
}
const modelDir = resolve(values.model);
const dataDir = resolve(values.data);
const backend = await initBackend();
const folds = values.folds ? new Set(values.folds.split(',').map(Number)) : null;
const excluded = values['exclude-identities']
  ? await readExcludedIdentities(values['exclude-identities'])
  : new Set<string>();
const manifest = await readMaskManifest(values.masked);
const maskedOf = (source: string) => {
  const entry = manifest.entries.get(source);
  return entry?.status === 'masked' && entry.output ? join(manifest.folder, entry.output) : null;
};

const all = parsePairsTsv(await readFile(values.pairs, 'utf8'), values.pairs).pairs;
const dropped = { excluded: 0, notMasked: 0, noFaceReference: 0, noFaceProbe: 0 };
let pairs = all.filter((p) => !folds || folds.has(p.fold));
pairs = pairs.filter((p) => {
  const seen = excluded.has(identityOf(p.reference)) || excluded.has(identityOf(p.probe));
  if (seen) dropped.excluded++;
  else if (!maskedOf(p.probe)) dropped.notMasked++;
  return !seen && maskedOf(p.probe) !== null;
});
if (values.limit) pairs = pairs.slice(0, Number(values.limit));
console.error(`calibrate: ${pairs.length} pairs (${JSON.stringify(dropped)}), backend ${backend}`);

// thresholds that are never used: calibration measures scores, the decision comes after
const matcher = await createMatcher({
  model: modelDir,
  thresholds: [{ far: 0.01, threshold: 0.5 }],
  ...(values.passes ? { faceFinder: { passes: JSON.parse(values.passes) } } : {}),
});
const enrolled = new Map<string, EnrolledFace | null>();
const enrolledOnce = async (path: string, mirrored = false) => {
  const key = `${mirrored ? 'mirrored:' : ''}${path}`;
  if (!enrolled.has(key)) {
    const input = mirrored ? mirror(await readImagePixels(path)) : path;
    enrolled.set(key, await matcher.enroll(input).catch(() => null));
  }
  return enrolled.get(key) ?? null;
};
// the photo as in a mirror (each row reversed)
function mirror(image: { data: Uint8Array; width: number; height: number }) {
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const from = (y * image.width + x) * 3;
      data.set(image.data.subarray(from, from + 3), (y * image.width + image.width - 1 - x) * 3);
    }
  }
  return { data, width: image.width, height: image.height };
}
const scores: number[] = [];
// with --flip, the same pairs' scores without it (same pairs, so the two are compared like for like)
const unflipped: number[] = [];
const labels: (0 | 1)[] = [];
const pairFolds: number[] = [];
const started = Date.now();
for (const [i, pair] of pairs.entries()) {
  const reference = await enrolledOnce(join(dataDir, pair.reference));
  const probe = await enrolledOnce(maskedOf(pair.probe) as string);
  if (!reference) dropped.noFaceReference++;
  else if (!probe) dropped.noFaceProbe++;
  else {
    let score = (await matcher.verify(reference, probe)).score as number;
    unflipped.push(score);
    if (values.flip) {
      const [mirroredReference, mirroredProbe] = [
        await enrolledOnce(join(dataDir, pair.reference), true),
        await enrolledOnce(maskedOf(pair.probe) as string, true),
      ];
      // a mirrored photo whose face is not found leaves the pair's score as it is
      if (mirroredReference && mirroredProbe)
        score = (score + ((await matcher.verify(mirroredReference, mirroredProbe)).score as number)) / 2;
    }
    scores.push(score);
    labels.push(pair.label);
    pairFolds.push(pair.fold);
  }
  if ((i + 1) % 200 === 0) {
    const rate = (i + 1) / ((Date.now() - started) / 1000);
    console.error(
      `calibrate: ${i + 1}/${pairs.length} pairs, ${rate.toFixed(1)} pairs/s, eta ${Math.round((pairs.length - i - 1) / rate)} s`,
    );
  }
}
matcher.dispose();

const report = verificationReport({ scores, labels });
const impostors = scores.filter((_, i) => labels[i] === 0);
const thresholds = [0.01, 0.001].map((far) => {
  const t = thresholdAtFar(impostors, far);
  return { far, threshold: t.threshold, achievedFar: t.achievedFar, resolved: t.resolved };
});
const perFold = [...new Set(pairFolds)]
  .sort((a, b) => a - b)
  .map((fold) => {
    const idx = pairFolds.map((f, i) => (f === fold ? i : -1)).filter((i) => i >= 0);
    const r = verificationReport(
      { scores: idx.map((i) => scores[i]), labels: idx.map((i) => labels[i]) },
      { curvePoints: 2 },
    );
    return { fold, eer: r.eer, frr100: r.frr100.frr, frr100Resolved: r.frr100.resolved, pairs: idx.length };
  });
const [eerMean, eerStd] = meanStd(perFold.map((f) => f.eer));
function summary(values: number[]) {
  const r = verificationReport({ scores: values, labels });
  return { eer: r.eer, frr100: r.frr100.frr, tarAtFar1e3: 1 - r.frr1000.frr };
}
const [frr100Mean, frr100Std] = meanStd(perFold.map((f) => f.frr100));
const result = {
  thresholds: thresholds.map(({ far, threshold }) => ({ far, threshold })),
  measuredOn:
    `${values.pairs}${folds ? ` folds ${[...folds].join(',')}` : ''}: ${scores.length} pairs ` +
    `(${report.genuineCount} genuine, ${report.impostorCount} impostor) of people the model never trained on; ` +
    `unmasked reference vs a masked copy (mfr mask) of the probe photo, through createMatcher on ${backend}`,
  eer: report.eer,
  frr100: report.frr100.frr,
  tarAtFar1e3: 1 - report.frr1000.frr,
  folds: { eerMean, eerStd, frr100Mean, frr100Std, perFold },
  achieved: thresholds,
  crossCheck: crossCheck(scores, labels, pairFolds),
  ...(values.flip ? { withoutFlip: summary(unflipped) } : {}),
  dropped,
  seconds: Math.round((Date.now() - started) / 1000),
};
console.log(JSON.stringify(result, null, 1));
// every score, for later analysis (not in calibration.json)
writeFileSync(
  resolve(values.out).replace(/\.json$/, '.scores.json'),
  `${JSON.stringify({ scores, labels, folds: pairFolds })}\n`,
);
await mkdir(dirname(resolve(values.out)), { recursive: true });
writeFileSync(resolve(values.out), `${JSON.stringify(result, null, 1)}\n`);
if (values.write) writeFileSync(join(modelDir, 'calibration.json'), `${JSON.stringify(result, null, 1)}\n`);

/**
 * How well a threshold travels: fitted at each FAR on the odd folds' impostors, applied to the even folds (people
 * the fit never saw), and the other way round. The achieved FARs show what a calibrated threshold really gives.
 */
function crossCheck(scores: number[], labels: (0 | 1)[], folds: number[]) {
  const part = (odd: boolean) => scores.map((_, i) => i).filter((i) => (folds[i] % 2 === 1) === odd);
  return [0.01, 0.001].flatMap((far) =>
    [true, false].map((fitOnOdd) => {
      const fit = part(fitOnOdd);
      const test = part(!fitOnOdd);
      const { threshold } = thresholdAtFar(
        fit.filter((i) => labels[i] === 0).map((i) => scores[i]),
        far,
      );
      const impostors = test.filter((i) => labels[i] === 0);
      const genuine = test.filter((i) => labels[i] === 1);
      return {
        far,
        fittedOn: fitOnOdd ? 'odd folds' : 'even folds',
        threshold,
        testFar: impostors.filter((i) => scores[i] >= threshold).length / impostors.length,
        testFrr: genuine.filter((i) => scores[i] < threshold).length / genuine.length,
        testImpostors: impostors.length,
      };
    }),
  );
}
