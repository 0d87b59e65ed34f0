import { type BackendName, type BackendSelection, initBackend } from '@mfr/core';
import type { Command } from 'commander';

/**
 * Starts the tfjs backend for a command and says which one in one short stderr line (`backend: wasm`); why
 * faster backends were skipped only with the global `--verbose`. `fallback` is the command's own default when
 * neither `--backend` nor `MFR_BACKEND` names one (e.g. wasm for masking); otherwise the fastest available.
 *
 * @example
 * const backend = await startBackend(command, options.backend);
 */
export async function startBackend(
  command: Command,
  requested?: string,
  fallback?: BackendName,
): Promise<BackendName> {
  const verbose = command.optsWithGlobals().verbose === true;
  const describe = ({ backend, requested: asked, skipped }: BackendSelection) => {
    const why = verbose && skipped.length > 0 ? ` (skipped ${skipped.join('; ')})` : '';
    process.stderr.write(`backend: ${backend}${asked ? ' (requested)' : ''}${why}\n`);
  };
  return initBackend({
    backend: (requested ?? process.env.MFR_BACKEND ?? fallback) as never,
    onSelect: describe,
  });
}
