/** Export to the paper repository's pair format. */
import type { Pair } from './types.js';

/**
 * Formats pairs the way the paper's repository lists them: one line `ref probe refMasked probeMasked label`
 * (space-separated; refMasked is 0 — the reference is unmasked — and probeMasked is 1). `prefix` is prepended
 * to both paths (e.g. the dataset root or a masked folder).
 *
 * @example
 * formatPaperPairs([{ reference: 'a/1.jpg', probe: 'a/2.jpg', label: 1, fold: 1 }]); // 'a/1.jpg a/2.jpg 0 1 1\n'
 */
export function formatPaperPairs(
  pairs: readonly Pair[],
  options: { prefix?: string; probeMasked?: boolean } = {},
): string {
  const prefix = options.prefix ?? '';
  const probeMasked = options.probeMasked === false ? 0 : 1;
  let out = '';
  for (const p of pairs) {
    if (/\s/.test(p.reference + p.probe)) {
      throw new Error(
        `formatPaperPairs: the paper format is space-separated; path with whitespace: ${p.reference} / ${p.probe}`,
      );
    }
    out += `${prefix}${p.reference} ${prefix}${p.probe} 0 ${probeMasked} ${p.label}\n`;
  }
  return out;
}
