/** Where the demo's faces come from: face-api's bundled sample photos, or a user's folder-per-identity set. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// from this file's location in both builds (a bundler's `require` shim cannot load packages dynamically in ESM)
const localRequire: NodeRequire = createRequire(
  typeof __filename === 'string' ? __filename : import.meta.url,
);

/**
 * The six group photos shipped inside @vladmandic/face-api (`demo/sample1.jpg` .. `sample6.jpg`), resolved through
 * the installed package so the demo needs no data folder.
 *
 * @example
 * sampleImagePaths(); // ['/.../node_modules/@vladmandic/face-api/demo/sample1.jpg', ...]
 */
export function sampleImagePaths(): string[] {
  let pkg: string;
  try {
    pkg = localRequire.resolve('@vladmandic/face-api/package.json');
  } catch {
    throw new Error(
      'mfr demo needs @vladmandic/face-api 1.7.15 installed (it ships the sample photos); run pnpm install.',
    );
  }
  return [1, 2, 3, 4, 5, 6].map((i) => join(dirname(pkg), 'demo', `sample${i}.jpg`));
}
