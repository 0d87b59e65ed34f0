/**
 * Prints one JSON object as a single line on stdout. Commands run with `--json` call this last, so scripts
 * can take the last line of stdout (`tail -n 1`) while human-readable text goes to stderr.
 * Typed arrays become plain arrays; non-finite numbers become null (as JSON.stringify does).
 *
 * @example
 * printJsonResult({ eer: 0.05, genuineCount: 500 });
 * // stdout: {"eer":0.05,"genuineCount":500}
 */
export function printJsonResult(result: object, stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(`${toJsonLine(result)}\n`);
}

/**
 * The single-line JSON text printJsonResult writes (typed arrays as arrays, no newlines inside).
 *
 * @example
 * toJsonLine({ a: new Float64Array([1, 2]) }); // '{"a":[1,2]}'
 */
export function toJsonLine(result: object): string {
  return JSON.stringify(result, (_key, value) =>
    ArrayBuffer.isView(value) && !(value instanceof DataView)
      ? Array.from(value as unknown as ArrayLike<number>)
      : value,
  );
}

/**
 * Ends a command that reports: with `--json`, the readable `lines` go to stderr and `result` is the last stdout
 * line; without it, the readable lines go to stdout (for people) and no JSON is printed.
 *
 * @example
 * reportResult(options.json, ['best validation precision 0.81 at step 900'], { bestValPrecision: 0.81 });
 */
export function reportResult(json: boolean | undefined, lines: readonly string[], result: object): void {
  const text = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  if (json) {
    process.stderr.write(text);
    printJsonResult(result);
  } else {
    process.stdout.write(text);
  }
}
