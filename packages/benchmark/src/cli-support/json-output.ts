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
