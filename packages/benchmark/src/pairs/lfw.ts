/** LFW's own `pairs.txt` (View 2) -> our pairs. */
import type { Pair } from './types.js';

/** The path of LFW image number `index` (1-based) of `name`: `Name/Name_0003.jpg`. */
export function lfwImagePath(name: string, index: number): string {
  return `${name}/${name}_${String(index).padStart(4, '0')}.jpg`;
}

/**
 * Parses LFW's View 2 `pairs.txt`: a first line `folds n` (`10 300`), then per fold `n` matched lines
 * `name i j` and `n` mismatched lines `name1 i name2 j` (1-based image numbers). The second image of each
 * pair becomes the probe (masked at run time), the first the unmasked reference.
 *
 * @example
 * parseLfwPairs('1 1\nAbel_Pacheco 1 4\nAbdel_Madi_Shabneh 1 Dean_Barker 1\n');
 * // [{ reference: 'Abel_Pacheco/Abel_Pacheco_0001.jpg', probe: 'Abel_Pacheco/Abel_Pacheco_0004.jpg', label: 1, fold: 1 }, ...]
 */
export function parseLfwPairs(text: string, source = 'pairs.txt'): Pair[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines[0]?.trim().split(/\s+/).map(Number) ?? [];
  if (head.length !== 2 || !head.every((x) => Number.isInteger(x) && x > 0)) {
    throw new Error(
      `${source}: first line must be "<folds> <pairs per half-fold>", e.g. "10 300"; got "${lines[0] ?? ''}"`,
    );
  }
  const [folds, n] = head;
  if (lines.length - 1 !== folds * 2 * n) {
    throw new Error(
      `${source}: expected ${folds * 2 * n} pair lines for "${folds} ${n}", found ${lines.length - 1}`,
    );
  }
  const pairs: Pair[] = [];
  for (let f = 0; f < folds; f++) {
    for (let k = 0; k < 2 * n; k++) {
      const lineNo = 1 + f * 2 * n + k;
      const cols = lines[lineNo].trim().split(/\s+/);
      const matched = k < n;
      const index = (value: string) => {
        const i = Number(value);
        if (!Number.isInteger(i) || i < 1)
          throw new Error(`${source}:${lineNo + 1}: bad image number "${value}"`);
        return i;
      };
      if (matched) {
        if (cols.length !== 3) throw new Error(`${source}:${lineNo + 1}: expected a matched line "name i j"`);
        pairs.push({
          reference: lfwImagePath(cols[0], index(cols[1])),
          probe: lfwImagePath(cols[0], index(cols[2])),
          label: 1,
          fold: f + 1,
        });
      } else {
        if (cols.length !== 4)
          throw new Error(`${source}:${lineNo + 1}: expected a mismatched line "name1 i name2 j"`);
        pairs.push({
          reference: lfwImagePath(cols[0], index(cols[1])),
          probe: lfwImagePath(cols[2], index(cols[3])),
          label: 0,
          fold: f + 1,
        });
      }
    }
  }
  return pairs;
}
