/**
 * A mistake in how a command was called (bad option value, missing file argument, unknown column):
 * the CLI prints the message and exits with code 2, like commander's own usage errors.
 *
 * @example
 * throw new UsageError('--top must be a positive integer, got "abc"');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes of the `mfr` tool: 0 success, 1 failure while running, 2 usage error. */
export const EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * A failure with its own exit code, for commands whose codes carry an answer (`mfr verify`: 1 means "no match",
 * so a failure must be 2). The CLI prints the message and exits with `exitCode`.
 *
 * @example
 * throw new ExitCodeError('no face in the probe', 2);
 */
export class ExitCodeError extends Error {
  override readonly name = 'ExitCodeError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
