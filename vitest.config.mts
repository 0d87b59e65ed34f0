import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

// Tests run against the sources (no build needed) under Node: `@mfr/<pkg>` and `@mfr/<pkg>/node` are the entry
// files, `#<pkg>-platform` the Node side of the platform layer; every package resolves the one tfjs-core.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@mfr\/([a-z]+)\/node$/, replacement: src('$1/src/node.ts') },
      { find: /^@mfr\/([a-z]+)$/, replacement: src('$1/src/index.ts') },
      { find: /^#([a-z]+)-platform$/, replacement: src('$1/src/platform/node.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // the tests on the large datasets run under `pnpm test:data` (vitest.data.config.mts)
    exclude: ['**/node_modules/**', '**/*.data.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs tests are CPU-heavy; two cores on CI
    maxWorkers: 2,
  },
});
