/**
 * Regenerates the committed pair lists in benchmarks/pairs/ (run from the repo root):
 *   node --import tsx packages/benchmark/bench/make-pairs.ts
 * Our own seeded lists for lfw, yaleb and att, LFW View 2 converted from pairs.txt, and a copy of each in the
 * paper repository's format (benchmarks/pairs/paper/). Same data + seed = byte-identical files.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@mfr/core/node';
import { datasetsRoot, findRepoRoot, listIdentities, resolveDataset } from '../src/datasets/index.js';
import {
  countPairs,
  formatPaperPairs,
  generatePairs,
  parseLfwPairs,
  STANDARD_PAIR_LISTS,
  writePairsTsv,
} from '../src/pairs/index.js';

const out = join(findRepoRoot(), 'benchmarks', 'pairs');
for (const [name, settings] of Object.entries(STANDARD_PAIR_LISTS)) {
  const dataset = resolveDataset(name);
  const identities = await listIdentities(dataset.root);
  const pairs = generatePairs(identities, settings);
  const counts = countPairs(pairs);
  await writePairsTsv(join(out, `${name}.tsv`), {
    pairs,
    meta: {
      dataset: name,
      generator: 'generatePairs (@mfr/benchmark), identities dealt to folds, imposters within the fold',
      folds: String(settings.folds),
      authenticPerFold: String(settings.authenticPerFold),
      seed: String(settings.seed),
      probes: 'unmasked originals; masked at run time',
    },
  });
  await writeFileAtomic(join(out, 'paper', `${name}.txt`), formatPaperPairs(pairs));
  console.error(
    `${name}: ${pairs.length} pairs (${counts.authentic} authentic, ${counts.imposter} imposter)`,
  );
}
const view2 = parseLfwPairs(
  await readFile(join(datasetsRoot(), 'lfw', 'pairs.txt'), 'utf8'),
  'lfw/pairs.txt',
);
await writePairsTsv(join(out, 'lfw-view2.tsv'), {
  pairs: view2,
  meta: {
    dataset: 'lfw',
    generator: 'LFW View 2 pairs.txt (10 folds x 300 matched + 300 mismatched); second image = masked probe',
    probes: 'unmasked originals; masked at run time',
  },
});
await writeFileAtomic(join(out, 'paper', 'lfw-view2.txt'), formatPaperPairs(view2));
console.error(`lfw-view2: ${view2.length} pairs`);
