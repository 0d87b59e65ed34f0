import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../../../test-support/datasets.js';
import { parseLfwPairs, parsePairsTsv } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

// The committed LFW View 2 list must be exactly LFW's own pairs.txt: runs under `pnpm test:data`.
describe('benchmarks/pairs/lfw-view2.tsv', () => {
  it("holds the 6,000 pairs of LFW's pairs.txt in the same order and folds, every image present", () => {
    const official = parseLfwPairs(readFileSync(datasetPath('lfw/pairs.txt'), 'utf8'));
    const committed = parsePairsTsv(
      readFileSync(join(ROOT, 'benchmarks', 'pairs', 'lfw-view2.tsv'), 'utf8'),
      'lfw-view2.tsv',
    ).pairs;
    expect(official).toHaveLength(6000);
    expect(committed).toEqual(official);
    const images = datasetPath('lfw/images');
    for (const pair of committed.slice(0, 600)) {
      expect(() => readFileSync(join(images, pair.reference))).not.toThrow();
      expect(() => readFileSync(join(images, pair.probe))).not.toThrow();
    }
  });
});
