import cliProgress from 'cli-progress';

/** Reports progress of a long job; obtain one with createProgressReporter. */
export interface ProgressReporter {
  /** Advances by `count` items (default 1); `message` replaces the status text. */
  tick(count?: number, message?: string): void;
  /** Sets the absolute number of items done. */
  update(done: number, message?: string): void;
  /** Changes the total (when it becomes known late). */
  setTotal(total: number): void;
  /** Finishes: removes the bar or prints the final line. Safe to call twice. */
  stop(): void;
}

/** Options of createProgressReporter. */
export interface ProgressOptions {
  /** Label in front of the counts, e.g. 'masking'. */
  label: string;
  /** Total number of items; 0 when unknown (default 0). */
  total?: number;
  /** Where to write (default process.stderr, so stdout stays clean for --json). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Plain mode: print a line at most this often (default 5000 ms). */
  intervalMs?: number;
  /** Force the mode; default: a bar when the stream is a TTY, plain lines otherwise (logs, CI, pipes). */
  mode?: 'bar' | 'lines' | 'silent';
}

/**
 * A progress reporter: an animated cli-progress bar on an interactive terminal, otherwise one plain line
 * every `intervalMs` (and a last one at stop) so logs stay readable.
 *
 * @example
 * const progress = createProgressReporter({ label: 'scoring pairs', total: pairs.length });
 * for (const pair of pairs) { await score(pair); progress.tick(); }
 * progress.stop();
 */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? (stream.isTTY ? 'bar' : 'lines');
  let total = options.total ?? 0;
  let done = 0;
  let message = '';
  let stopped = false;
  const started = Date.now();
  if (mode === 'silent') {
    return {
      tick(count = 1) {
        done += count;
      },
      update(value) {
        done = value;
      },
      setTotal(value) {
        total = value;
      },
      stop: () => undefined,
    };
  }
  if (mode === 'bar') {
    const bar = new cliProgress.SingleBar(
      {
        format: `${options.label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {message}`,
        stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { message });
    return {
      tick(count = 1, text) {
        done += count;
        bar.update(done, { message: text ?? message });
        if (text !== undefined) message = text;
      },
      update(value, text) {
        done = value;
        if (text !== undefined) message = text;
        bar.update(done, { message });
      },
      setTotal(value) {
        total = value;
        bar.setTotal(value);
      },
      stop() {
        if (stopped) return;
        stopped = true;
        bar.stop();
      },
    };
  }
  const intervalMs = options.intervalMs ?? 5000;
  let lastPrint = 0;
  const print = () => {
    const seconds = (Date.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-9);
    const counts = total > 0 ? `${done}/${total} (${((100 * done) / total).toFixed(1)}%)` : `${done}`;
    const eta = total > 0 && rate > 0 ? `, eta ${Math.ceil((total - done) / rate)} s` : '';
    stream.write(
      `${options.label}: ${counts}, ${seconds.toFixed(1)} s${eta}${message ? ` ${message}` : ''}\n`,
    );
    lastPrint = Date.now();
  };
  const maybePrint = () => {
    if (Date.now() - lastPrint >= intervalMs) print();
  };
  lastPrint = Date.now();
  return {
    tick(count = 1, text) {
      done += count;
      if (text !== undefined) message = text;
      maybePrint();
    },
    update(value, text) {
      done = value;
      if (text !== undefined) message = text;
      maybePrint();
    },
    setTotal(value) {
      total = value;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      print();
    },
  };
}
