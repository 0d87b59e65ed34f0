import { describe, expect, it } from 'vitest';
import {
  countPairs,
  formatPairsTsv,
  formatPaperPairs,
  generatePairs,
  generateRealMaskPairs,
  identityOf,
  lfwImagePath,
  parseLfwPairs,
  parsePairsTsv,
} from '../src/index.js';
import { selectPairs } from '../src/runner/pair-source.js';

const identities = Array.from({ length: 12 }, (_, i) => ({
  identity: `id${i}`,
  images: Array.from({ length: i % 3 === 0 ? 1 : 4 }, (_, k) => `id${i}/${k}.png`),
}));

describe('generatePairs', () => {
  it('is balanced, seeded, and keeps identities and imposters inside one fold', () => {
    const pairs = generatePairs(identities, { folds: 3, authenticPerFold: 5, seed: 7 });
    const counts = countPairs(pairs);
    expect(counts.authentic).toBe(counts.imposter);
    expect(counts.authentic).toBe(15);
    expect(counts.folds).toEqual([1, 2, 3]);
    expect(generatePairs(identities, { folds: 3, authenticPerFold: 5, seed: 7 })).toEqual(pairs);
    expect(generatePairs(identities, { folds: 3, authenticPerFold: 5, seed: 8 })).not.toEqual(pairs);
    const foldOf = new Map<string, number>();
    for (const p of pairs) {
      for (const path of [p.reference, p.probe]) {
        const id = identityOf(path);
        expect(foldOf.get(id) ?? p.fold).toBe(p.fold);
        foldOf.set(id, p.fold);
      }
      if (p.label === 1) {
        expect(identityOf(p.reference)).toBe(identityOf(p.probe));
        expect(p.reference).not.toBe(p.probe);
      } else expect(identityOf(p.reference)).not.toBe(identityOf(p.probe));
    }
    const keys = pairs.map((p) => `${p.reference}|${p.probe}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('rejects too few identities for the folds', () => {
    expect(() => generatePairs(identities.slice(0, 3), { folds: 2 })).toThrow(/identities/);
  });
});

describe('pair list formats', () => {
  const pairs = generatePairs(identities, { folds: 2, authenticPerFold: 3, seed: 1 });

  it('round-trips the TSV with metadata', () => {
    const text = formatPairsTsv({ pairs, meta: { dataset: 'toy', seed: '1' } });
    expect(text.split('\n')[2]).toBe('reference\tprobe\tlabel\tfold');
    expect(parsePairsTsv(text)).toEqual({ pairs, meta: { dataset: 'toy', seed: '1' } });
  });

  it('names the line of a malformed TSV', () => {
    expect(() => parsePairsTsv('reference\tprobe\tlabel\tfold\na\tb\t2\t1\n', 'x.tsv')).toThrow(
      /x\.tsv:2: label/,
    );
    expect(() => parsePairsTsv('a\tb\t1\t1\n', 'y.tsv')).toThrow(/y\.tsv:1: expected the header/);
  });

  it('exports the paper format (ref probe refMasked probeMasked label)', () => {
    const line = formatPaperPairs([pairs[0]], { prefix: 'data/' }).trim().split(' ');
    expect(line).toEqual([`data/${pairs[0].reference}`, `data/${pairs[0].probe}`, '0', '1', '1']);
  });

  it("imports LFW's View 2 pairs.txt", () => {
    const text = '2 1\nAbel_Pacheco 1 4\nA_B 2 C_D 11\nX_Y 3 5\nP_Q 1 R_S 1\n';
    const lfw = parseLfwPairs(text);
    expect(lfw).toEqual([
      {
        reference: 'Abel_Pacheco/Abel_Pacheco_0001.jpg',
        probe: 'Abel_Pacheco/Abel_Pacheco_0004.jpg',
        label: 1,
        fold: 1,
      },
      { reference: 'A_B/A_B_0002.jpg', probe: 'C_D/C_D_0011.jpg', label: 0, fold: 1 },
      { reference: 'X_Y/X_Y_0003.jpg', probe: 'X_Y/X_Y_0005.jpg', label: 1, fold: 2 },
      { reference: 'P_Q/P_Q_0001.jpg', probe: 'R_S/R_S_0001.jpg', label: 0, fold: 2 },
    ]);
    expect(lfwImagePath('A', 12)).toBe('A/A_0012.jpg');
    expect(() => parseLfwPairs('2 1\nA 1 2\n')).toThrow(/expected 4 pair lines/);
    expect(() => parseLfwPairs('1 1\nA 1\nB 1 C 1\n')).toThrow(/:2: expected a matched line/);
  });
});

describe('selectPairs', () => {
  const pairs = generatePairs(identities, { folds: 3, authenticPerFold: 5, seed: 2 });
  it('keeps chosen folds and a balanced limit', () => {
    const fold2 = selectPairs(pairs, { folds: [2] });
    expect(fold2.every((p) => p.fold === 2)).toBe(true);
    const limited = selectPairs(pairs, { limit: 6 });
    expect(countPairs(limited)).toMatchObject({ authentic: 3, imposter: 3 });
    expect(countPairs(limited).folds.length).toBeGreaterThan(1);
  });
});

describe('generateRealMaskPairs', () => {
  it('draws references from the unmasked set and probes from the masked set', () => {
    const masked = identities
      .slice(0, 8)
      .map((id) => ({ identity: id.identity, images: [`${id.identity}/m.jpg`] }));
    const pairs = generateRealMaskPairs(identities, masked, { folds: 2, authenticPerFold: 3, seed: 3 });
    expect(countPairs(pairs)).toMatchObject({ authentic: 6, imposter: 6, folds: [1, 2] });
    for (const p of pairs) {
      expect(p.probe.endsWith('/m.jpg')).toBe(true);
      expect(p.reference.endsWith('/m.jpg')).toBe(false);
      expect(identityOf(p.reference) === identityOf(p.probe)).toBe(p.label === 1);
    }
    expect(() => generateRealMaskPairs(identities, masked.slice(0, 3), { folds: 2 })).toThrow(
      /both unmasked and masked/,
    );
  });
});
