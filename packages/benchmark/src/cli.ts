#!/usr/bin/env node
// The `mfr` command-line tool. Each command lives in ./commands/<name>.ts and exports
// register<Name>Command(program); add one import and one register line per command.
import { createProgram, runProgram } from './cli-support/run-cli.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerEnsembleCommand } from './commands/ensemble.js';
import { registerMaskCommand } from './commands/mask.js';
import { registerMergeCommand } from './commands/merge.js';
import { registerMetricsCommand } from './commands/metrics.js';
import { registerPretrainCommand } from './commands/pretrain.js';
import { registerTrainCommand } from './commands/train.js';
import { registerVerifyCommand } from './commands/verify.js';

const program = createProgram();
registerMetricsCommand(program);
registerBenchCommand(program);
registerDemoCommand(program);
registerEnsembleCommand(program);
registerMaskCommand(program);
registerMergeCommand(program);
registerPretrainCommand(program);
registerTrainCommand(program);
registerVerifyCommand(program);

void runProgram(program);
