import { defineConfig } from 'vitest/config';
import base from './vitest.config.mjs';

// `pnpm test:data`: the tests that read the large face datasets (MFR_DATASETS, else ../shared/datasets).
// `pnpm test` runs everything else and needs nothing beside the clone.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/test/**/*.data.test.ts', 'examples/*/test/**/*.data.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['./test-support/datasets-setup.ts'],
  },
});
