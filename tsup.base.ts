import { defineConfig, type Options } from 'tsup';

/**
 * The one build every package shares: ESM + CJS + .d.ts for node20, with tfjs and native modules left external
 * so the workspace keeps one tfjs-core instance.
 */
export function packageBuild(entry: string[] = ['src/index.ts']): Options | Options[] {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // import.meta.url in the CJS build (model and worker paths)
    shims: true,
    clean: true,
    target: 'node20',
    skipNodeModulesBundle: true,
    tsconfig: 'tsconfig.build.json',
  }) as Options;
}
