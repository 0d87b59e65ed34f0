/** Identities to leave out of a benchmark, e.g. the training identities of a model under test. */
import { readFile } from 'node:fs/promises';

/**
 * Reads identities to exclude from a file: a `split.json` written by `mfr train` (every dataset's `train`
 * identities, and `heldOut` is kept) or plain text with one identity per line (`#` comments allowed).
 *
 * @example
 * const seen = await readExcludedIdentities('.mfr-cache/models/faceres-head/split.json');
 * await runBenchmark({ models, datasets: ['lfw-view2'], excludeIdentities: seen });
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
  return new Set(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
}
