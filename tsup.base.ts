import { defineConfig, type Options } from 'tsup';

/**
 * The one build every package shares: ESM + CJS + .d.ts, with tfjs, native modules and the other @mfr packages
 * left external so the workspace keeps one tfjs-core instance. `#<pkg>-platform` imports stay external too:
 * package.json `imports` picks `dist/platform/node.*` under Node and `dist/platform/browser.js` everywhere else.
 * Only the CJS build gets tsup's shims (import.meta.url); the ESM shims would pull `path` and `url` into every
 * entry, browser-safe ones included.
 */
export function packageBuild(entry: string[] = ['src/index.ts', 'src/node.ts']): Options[] {
  const common: Options = {
    entry,
    dts: true,
    sourcemap: true,
    target: 'node20',
    skipNodeModulesBundle: true,
    external: [/^#/, /^@mfr\//],
    tsconfig: 'tsconfig.build.json',
  };
  return defineConfig([
    { ...common, format: ['esm'], shims: false, clean: true },
    { ...common, format: ['cjs'], shims: true, clean: false },
  ]) as Options[];
}
