import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { EXIT_CODES, ExitCodeError, UsageError } from './errors.js';

/** A function that adds one command (with its options and action) to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * The `mfr` root program with its version, description and help; register commands on it, then runProgram.
 * Commander errors are thrown (exitOverride) so runProgram decides the exit code.
 *
 * @example
 * const program = createProgram();
 * registerMetricsCommand(program);
 * program.helpInformation(); // the --help text
 */
export function createProgram(commands: readonly RegisterCommand[] = []): Command {
  const program = new Command('mfr')
    .description(
      'Masked-to-unmasked face matching: synthetic masks, contrastive pre-training, Siamese matching and verification metrics.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .option('--verbose', 'also say why faster tfjs backends were skipped')
    .showSuggestionAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .exitOverride();
  program.addHelpText(
    'after',
    '\nRun `mfr <command> --help` for the options of one command. Set MFR_DEBUG=1 for stack traces.',
  );
  // settings above are copied to subcommands created after this point (register commands after createProgram)
  for (const register of commands) register(program);
  return program;
}

/**
 * Parses argv, runs the chosen command and exits: 0 on success, 1 when the command fails, 2 on usage errors.
 * Error messages are one line on stderr; the stack trace only with MFR_DEBUG=1.
 *
 * @example
 * const program = createProgram();
 * registerMetricsCommand(program);
 * await runProgram(program);
 */
export async function runProgram(program: Command, argv: string[] = process.argv): Promise<void> {
  // `mfr ... | head` closes stdout early: stop quietly instead of an EPIPE stack trace
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  if (argv.length <= 2) {
    program.outputHelp();
    process.exitCode = EXIT_CODES.usage;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // help and version are "errors" under exitOverride; commander already printed its message
    if (error.exitCode === 0) return EXIT_CODES.ok;
    return EXIT_CODES.usage;
  }
  const debug = process.env.MFR_DEBUG === '1';
  const message = error instanceof Error ? error.message : String(error);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write(`mfr: error: ${message}\n`);
  if (error instanceof UsageError) {
    process.stderr.write('(run with --help for usage)\n');
    return EXIT_CODES.usage;
  }
  if (error instanceof ExitCodeError) return error.exitCode;
  return EXIT_CODES.failure;
}
