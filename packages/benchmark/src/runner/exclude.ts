/** Identities to leave out of a benchmark, e.g. the training identities of a model under test. */
import { readFile } from 'node:fs/promises';
import { identityOf } from '../datasets/folder.js';
import { parsePairsTsv } from '../pairs/tsv.js';

/**
 * Reads identities to exclude from a file: a `split.json` written by `mfr train` (every dataset's `train`
 * identities, and `heldOut` is kept), a pair list `.tsv` (every identity either side of a pair, e.g.
 * `benchmarks/pairs/lfw-view2.tsv` to keep LFW View 2's people out of training) or plain text with one identity
 * per line (`#` comments allowed).
 *
 * @example
 * const seen = await readExcludedIdentities('.mfr-cache/models/faceres-head/split.json');
 * await runBenchmark({ models, datasets: ['lfw-view2'], excludeIdentities: seen });
 * const view2 = await readExcludedIdentities('benchmarks/pairs/lfw-view2.tsv'); // 4,281 people
 */
export async function readExcludedIdentities(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`--exclude-identities ${path}: cannot read it (${(error as Error).message}).`);
  }
  if (path.endsWith('.json')) {
    const json = JSON.parse(text) as { datasets?: { train?: string[] }[] };
    if (!Array.isArray(json.datasets)) {
      throw new Error(
        `--exclude-identities ${path}: expected a split.json with "datasets": [{ "train": [...] }].`,
      );
    }
    return new Set(json.datasets.flatMap((d) => d.train ?? []));
  }
  if (path.endsWith('.tsv')) {
    const { pairs } = parsePairsTsv(text, path);
    return new Set(pairs.flatMap((p) => [identityOf(p.reference), identityOf(p.probe)]));
  }
  return new Set(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}
