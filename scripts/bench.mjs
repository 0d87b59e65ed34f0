#!/usr/bin/env node
// `pnpm bench <name> [args...]` runs packages/<name>/bench/run.ts, or a named benchmark packages/*/bench/<name>.ts
// (e.g. `matcher`), under tsx (sources, tsconfig paths). Each prints its numbers and writes bench-results/<name>.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = readdirSync(join(root, 'packages'));
/** name -> script: each package's bench/run.ts under the package's name, and named scripts under their own. */
const scripts = new Map();
for (const p of packages) {
  const dir = join(root, 'packages', p, 'bench');
  if (existsSync(join(dir, 'run.ts'))) scripts.set(p, join(dir, 'run.ts'));
}
for (const [named, pkg] of [
  ['matcher', 'siamese'],
  ['profile', 'core'],
  ['shards', 'benchmark'],
  ['accuracy', 'benchmark'],
])
  scripts.set(named, join(root, 'packages', pkg, 'bench', `${named}.ts`));
const [name, ...args] = process.argv.slice(2);
if (!name || !scripts.has(name)) {
  console.error(`usage: pnpm bench <${[...scripts.keys()].join('|')}> [options]`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', scripts.get(name), ...args], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
