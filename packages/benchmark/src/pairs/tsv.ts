/** The benchmark's own pair-list format: tab-separated `reference probe label fold`, `#` comment lines. */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@mfr/core/node';
import type { Pair, PairList } from './types.js';

const HEADER = 'reference\tprobe\tlabel\tfold';

/**
 * Formats a pair list as TSV: `# key: value` metadata lines, the header `reference probe label fold`, then one
 * pair per line (paths relative to the dataset root, label 1 = same person, folds 1-based).
 *
 * @example
 * formatPairsTsv({ pairs: [{ reference: 'a/1.png', probe: 'a/2.png', label: 1, fold: 1 }], meta: { dataset: 'att' } });
 * // '# dataset: att\nreference\tprobe\tlabel\tfold\na/1.png\ta/2.png\t1\t1\n'
 */
export function formatPairsTsv(list: PairList): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(list.meta)) lines.push(`# ${key}: ${value.replace(/\n/g, ' ')}`);
  lines.push(HEADER);
  for (const p of list.pairs) {
    if (/[\t\n]/.test(p.reference + p.probe))
      throw new Error(`formatPairsTsv: path with a tab or newline: ${p.reference}`);
    lines.push(`${p.reference}\t${p.probe}\t${p.label}\t${p.fold}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Parses the TSV written by {@link formatPairsTsv}. Errors name the source and line number.
 *
 * @example
 * parsePairsTsv('reference\tprobe\tlabel\tfold\na/1.png\tb/1.png\t0\t3\n').pairs[0].fold; // 3
 */
export function parsePairsTsv(text: string, source = 'pair list'): PairList {
  const meta: Record<string, string> = {};
  const pairs: Pair[] = [];
  let sawHeader = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*([^:]+):\s*(.*)$/.exec(line);
      if (m) meta[m[1].trim()] = m[2].trim();
      continue;
    }
    if (!sawHeader) {
      if (line.trim() !== HEADER)
        throw new Error(`${source}:${i + 1}: expected the header "${HEADER.replace(/\t/g, '<TAB>')}"`);
      sawHeader = true;
      continue;
    }
    const cols = line.split('\t');
    if (cols.length !== 4)
      throw new Error(`${source}:${i + 1}: expected 4 tab-separated columns, got ${cols.length}`);
    const [reference, probe, label, fold] = cols;
    if (label !== '0' && label !== '1')
      throw new Error(`${source}:${i + 1}: label must be 0 or 1, got "${label}"`);
    const foldNumber = Number(fold);
    if (!Number.isInteger(foldNumber) || foldNumber < 1) {
      throw new Error(`${source}:${i + 1}: fold must be a positive integer, got "${fold}"`);
    }
    pairs.push({ reference, probe, label: label === '1' ? 1 : 0, fold: foldNumber });
  }
  if (!sawHeader) throw new Error(`${source}: no header line "${HEADER.replace(/\t/g, '<TAB>')}" found`);
  return { pairs, meta };
}

/**
 * Reads a pair-list TSV file.
 *
 * @example
 * const { pairs } = await readPairsTsv('benchmarks/pairs/att.tsv');
 */
export async function readPairsTsv(path: string): Promise<PairList> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Pair list ${path} cannot be read (${(error as Error).message}).`);
  }
  return parsePairsTsv(text, path);
}

/**
 * Writes a pair-list TSV atomically.
 *
 * @example
 * await writePairsTsv('benchmarks/pairs/att.tsv', { pairs, meta: { dataset: 'att', seed: '1' } });
 */
export async function writePairsTsv(path: string, list: PairList): Promise<void> {
  await writeFileAtomic(path, formatPairsTsv(list));
}
