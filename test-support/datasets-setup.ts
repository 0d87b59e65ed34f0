/** Global setup of `pnpm test:data`: stop at once, saying what is needed, when the datasets folder is missing. */
import { existsSync } from 'node:fs';
import { datasetsRoot } from './datasets.js';

export default function setup(): void {
  const root = datasetsRoot();
  if (!existsSync(root)) {
    throw new Error(
      `pnpm test:data reads the face datasets from ${root}, which does not exist. Set MFR_DATASETS to a folder ` +
        'with lfw/images + lfw/pairs.txt (LFW deep-funneled), att/ (ORL/AT&T) and yaleb/ (Extended Yale B cropped). ' +
        'pnpm test needs none of them.',
    );
  }
  process.stderr.write(`test:data: datasets from ${root}\n`);
}
