/**
 * Where the large face datasets are for `pnpm test:data`: `MFR_DATASETS`, else `../shared/datasets` beside the
 * clone. Only `*.data.test.ts` files use this; `pnpm test` never needs it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The datasets folder (not checked; see requireDataset). */
export const datasetsRoot = (): string =>
  resolve(process.env.MFR_DATASETS ?? join(REPO_ROOT, '..', 'shared', 'datasets'));

/**
 * The absolute path of `relative` inside the datasets folder. Throws with what is missing and how to point at
 * it, so a data test never passes by skipping.
 */
export function datasetPath(relative: string): string {
  const path = join(datasetsRoot(), relative);
  if (!existsSync(path)) {
    throw new Error(
      `pnpm test:data needs ${relative} under the datasets folder ${datasetsRoot()}, which is missing. ` +
        'Set MFR_DATASETS to a folder holding lfw/images, lfw/pairs.txt, att/ and yaleb/ (see docs/testing.md).',
    );
  }
  return path;
}
