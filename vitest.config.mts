import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests run against the sources (no build needed); every package resolves the one tfjs-core in node_modules.
export default defineConfig({
  resolve: {
    alias: {
      '@mfr/core': pkg('core'),
      '@mfr/metrics': pkg('metrics'),
      '@mfr/masking': pkg('masking'),
      '@mfr/contrastive': pkg('contrastive'),
      '@mfr/siamese': pkg('siamese'),
      '@mfr/benchmark': pkg('benchmark'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    // the tests on the large datasets run under `pnpm test:data` (vitest.data.config.mts)
    exclude: ['**/node_modules/**', '**/*.data.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs tests are CPU-heavy; two cores on CI
    maxWorkers: 2,
  },
});
