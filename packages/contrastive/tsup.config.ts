import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // import.meta.url in the CJS build (model and worker paths)
  shims: true,
  clean: true,
  target: 'node20',
  // tfjs and native modules stay external: one tfjs-core instance across the workspace
  skipNodeModulesBundle: true,
  tsconfig: 'tsconfig.build.json',
});
