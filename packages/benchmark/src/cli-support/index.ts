export { EXIT_CODES, UsageError } from './errors.js';
export { printJsonResult, toJsonLine } from './json-output.js';
export { parseFloatOption, parseIntOption, parseListOption } from './options.js';
export { createProgressReporter, type ProgressOptions, type ProgressReporter } from './progress.js';
export { createProgram, type RegisterCommand, runProgram } from './run-cli.js';
