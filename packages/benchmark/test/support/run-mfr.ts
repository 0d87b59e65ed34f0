import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: CLI tests run the `mfr` sources from here, as `pnpm mfr` would (no build needed). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface RunMfrOptions {
  /** Variables added to (or, as '', blanking) the test process's environment. */
  env?: Record<string, string>;
  /** Milliseconds before the command is killed (default 240 s). */
  timeout?: number;
}

/** Runs `mfr <args>` from the sources under tsx and returns its exit status and output. */
export function runMfr(args: string[], options: RunMfrOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', 'packages/benchmark/src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: options.timeout ?? 240_000,
  });
}

/** The JSON object a `--json` command prints as its last line of stdout. */
export const lastJsonLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
