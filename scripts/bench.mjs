#!/usr/bin/env node
// `pnpm bench <name> [args...]` runs packages/<name>/bench/run.ts under tsx (sources, tsconfig paths).
// Each benchmark prints its numbers and writes them to bench-results/<name>.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const available = readdirSync(join(root, 'packages')).filter((p) =>
  existsSync(join(root, 'packages', p, 'bench', 'run.ts')),
);
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: pnpm bench <${available.join('|')}> [options]`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(root, 'packages', name, 'bench', 'run.ts'), ...args],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
