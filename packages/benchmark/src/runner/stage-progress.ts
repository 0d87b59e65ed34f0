/** Progress for multi-stage jobs: one progress bar (or plain log lines) per stage, with ETA. */
import { createProgressReporter, type ProgressReporter } from '../cli-support/progress.js';

/**
 * Returns an `onProgress(stage, done, total)` callback that starts a new progress reporter whenever the stage
 * changes, and a `stop()` for the end.
 *
 * @example
 * const progress = stageProgress();
 * await runBenchmark({ ..., onProgress: progress.onProgress });
 * progress.stop();
 */
export function stageProgress(mode?: 'bar' | 'lines' | 'silent'): {
  onProgress: (stage: string, done: number, total: number) => void;
  stop: () => void;
} {
  let stage = '';
  let reporter: ProgressReporter | null = null;
  return {
    onProgress(name, done, total) {
      if (name !== stage || !reporter) {
        reporter?.stop();
        stage = name;
        reporter = createProgressReporter({ label: name, total, mode });
      }
      reporter.setTotal(total);
      reporter.update(done);
      if (done >= total) {
        reporter.stop();
        reporter = null;
        stage = '';
      }
    },
    stop() {
      reporter?.stop();
      reporter = null;
    },
  };
}
