/**
 * The shipped model's numbers on face-api's sample faces (no dataset needed): every masked probe against every
 * reference, decided at the FAR 1% threshold. Writes `sample-faces.json` into the model folder with --write; the
 * test `packages/siamese/test/matcher.test.ts` checks the shipped model against it.
 *
 *   node --import tsx packages/siamese/bench/sample-faces.ts [--model <dir>] [--write]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '@mfr/core';
import { createMatcher, type Matcher } from '@mfr/siamese';
import { shippedModelDir } from '@mfr/siamese/node';
import { writeSampleProbes } from '../../../test-support/sample-probes.js';

/**
 * Decisions over all probe x reference pairs (genuine: probe i vs reference i). A photo where the matcher finds
 * no face gives no answer for its pairs: they are counted in `noFace`, never as accepted.
 */
export async function sampleFaceDecisions(matcher: Matcher, references: string[], probes: string[]) {
  const enrollOrNull = (path: string) => matcher.enroll(path).catch(() => null);
  const refs = [];
  for (const path of references) refs.push(await enrollOrNull(path));
  const found = [];
  for (const path of probes) found.push(await enrollOrNull(path));
  let genuineAccepted = 0;
  let impostorAccepted = 0;
  // probes whose own reference scores highest of all references (identification, no threshold involved)
  let top1 = 0;
  const genuineScores: (number | null)[] = [];
  for (const [p, probe] of found.entries()) {
    let best = { r: -1, score: -1 };
    for (const [r, ref] of refs.entries()) {
      const v = ref && probe ? await matcher.verify(ref, probe) : null;
      if (p === r) genuineScores.push(v?.score ?? null);
      if (v?.match && p === r) genuineAccepted++;
      if (v?.match && p !== r) impostorAccepted++;
      if (v?.score != null && v.score > best.score) best = { r, score: v.score };
    }
    if (best.r === p) top1++;
  }
  const n = references.length;
  const noFace = {
    references: refs.map((r, i) => (r ? -1 : i)).filter((i) => i >= 0),
    probes: found.map((f, i) => (f ? -1 : i)).filter((i) => i >= 0),
  };
  return {
    genuinePairs: n,
    impostorPairs: n * (n - 1),
    genuineAccepted,
    impostorAccepted,
    top1,
    noFace,
    genuineScores,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { model: { type: 'string' }, write: { type: 'boolean' } } });
  const backend = await initBackend({ backend: 'wasm' });
  const { references, probes } = await writeSampleProbes(mkdtempSync(join(tmpdir(), 'mfr-sample-faces-')));
  const matcher = await createMatcher({ model: values.model });
  const result = { backend, far: 0.01, ...(await sampleFaceDecisions(matcher, references, probes)) };
  matcher.dispose();
  console.log(JSON.stringify(result));
  if (values.write)
    writeFileSync(
      join(values.model ?? shippedModelDir(), 'sample-faces.json'),
      `${JSON.stringify(result, null, 1)}\n`,
    );
}
