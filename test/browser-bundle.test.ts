/**
 * Every package's main entry bundles for browsers: esbuild with `platform: 'browser'` resolves the built
 * package (its `exports` and `imports` maps, as a web app's bundler would) without one Node built-in, native
 * module or Node-only API. Run after `pnpm build`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const NODE_ONLY_PACKAGES = ['sharp', '@napi-rs/canvas', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];
const NODE_ONLY_CALLS = /\b(createRequire|setImmediate|worker_threads)\b/;
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

async function bundle(pkg: string) {
  const imported: string[] = [];
  const result = await esbuild.build({
    stdin: {
      contents: `export * from '@mfr/${pkg}';`,
      resolveDir: `${root}packages/benchmark`,
      loader: 'js',
    },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // resolve the built packages as users get them, not the workspace's source paths
    tsconfigRaw: '{}',
    outdir: 'out',
    splitting: true,
    plugins: [
      {
        name: 'record-imports',
        setup(build) {
          // imports made by our own dist files (dependencies such as tfjs map their Node-only imports away with
          // their package.json "browser" field, which esbuild honours and the bundle-error check covers)
          build.onResolve({ filter: /.*/ }, (args) => {
            if (/packages\/[a-z]+\/dist\//.test(args.importer)) imported.push(args.path);
            return undefined;
          });
        },
      },
    ],
  });
  return { result, imported };
}

describe('browser bundles of the main entries', () => {
  for (const pkg of ['metrics', 'core', 'masking', 'contrastive', 'siamese']) {
    it(`@mfr/${pkg} bundles for platform: browser with no Node built-in`, async () => {
      if (!existsSync(`${root}packages/${pkg}/dist/index.js`)) {
        throw new Error(`packages/${pkg}/dist is missing: run \`pnpm build\` before \`pnpm test\`.`);
      }
      const { result, imported } = await bundle(pkg);
      expect(result.errors).toEqual([]);
      expect(imported.filter((p) => builtins.has(p))).toEqual([]);
      expect(
        imported.filter((p) => NODE_ONLY_PACKAGES.some((n) => p === n || p.startsWith(`${n}/`))),
      ).toEqual([]);
      // our own code in the bundle: the browser-safe dist files only, with no Node-only call in them
      const ours = Object.keys(result.metafile?.inputs ?? {}).filter((f) =>
        /packages\/[a-z]+\/dist\//.test(f),
      );
      expect(ours.length).toBeGreaterThan(0);
      expect(ours.filter((f) => /\/(node|platform\/node)\.c?js$/.test(f))).toEqual([]);
      const calls = ours.filter((f) => NODE_ONLY_CALLS.test(readFileSync(resolve(f), 'utf8')));
      expect(calls).toEqual([]);
    });

    it(`@mfr/${pkg}'s sources bundle for platform: browser through the workspace's tsconfig paths`, async () => {
      // as a bundler inside this workspace sees them: @mfr/* from src, #<pkg>-platform from package.json imports
      const result = await esbuild.build({
        entryPoints: [`${root}packages/${pkg}/src/index.ts`],
        absWorkingDir: root,
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
        outdir: 'out',
        splitting: true,
      });
      expect(result.errors).toEqual([]);
      const nodeSide = Object.keys(result.metafile?.inputs ?? {}).filter((f) =>
        /packages\/[a-z]+\/(src\/node\.ts|src\/platform\/node\.ts|dist\/platform\/node\.c?js)$/.test(f),
      );
      expect(nodeSide).toEqual([]);
    });
  }
});
