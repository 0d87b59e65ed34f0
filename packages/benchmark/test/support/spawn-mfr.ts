import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from './run-mfr.js';

/** A running `mfr` process (from the sources under tsx, as runMfr) and its collected output. */
export interface SpawnedMfr {
  readonly child: ChildProcess;
  /** Resolves when the process exits: its status (null when killed by a signal), stdout and stderr. */
  readonly done: Promise<{
    status: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/**
 * Starts `mfr <args>` without waiting for it, so tests can run several at once (shards) or kill one mid-run.
 *
 * @example
 * const shards = [0, 1].map((i) => spawnMfr(['mask', 'in', 'out', '--shard', `${i}/2`]));
 * const results = await Promise.all(shards.map((s) => s.done));
 */
export function spawnMfr(args: string[], env: Record<string, string> = {}): SpawnedMfr {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/benchmark/src/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<{
    status: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { child, done };
}
