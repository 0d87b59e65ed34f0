// The accuracy study's extra training photos (bench/accuracy/extra-photos.ts) on a folder whose answer is known.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeExtraPhotoPairs } from '../bench/accuracy/extra-photos.js';
import { readPairsTsv } from '../src/pairs/tsv.js';

describe('writeExtraPhotoPairs', () => {
  it('lists the photos no evaluation pair uses, capped per person, and people outside the list with 2+ photos', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mfr-extra-'));
    const photos: Record<string, number> = { Ann: 12, Bob: 2, Cid: 3, Dee: 1, Eve: 2 };
    for (const [person, n] of Object.entries(photos)) {
      mkdirSync(join(root, 'lfw', person), { recursive: true });
      for (let i = 1; i <= n; i++) writeFileSync(join(root, 'lfw', person, `${person}_${i}.jpg`), '');
    }
    // the evaluation uses Ann 1-2, Bob 1-2 and Dee 1: Cid and Eve are outside it
    const view2 = [
      { reference: 'Ann/Ann_1.jpg', probe: 'Ann/Ann_2.jpg', label: 1 as const, fold: 1 },
      { reference: 'Bob/Bob_1.jpg', probe: 'Dee/Dee_1.jpg', label: 0 as const, fold: 1 },
      { reference: 'Bob/Bob_1.jpg', probe: 'Bob/Bob_2.jpg', label: 1 as const, fold: 2 },
    ];
    const out = await writeExtraPhotoPairs(join(root, 'lfw'), view2, join(root, 'pairs'), 4);
    const { pairs } = await readPairsTsv(join(out.pairsDir, 'lfw.tsv'));
    // Ann: photos 3-6 (natural order: 10 after 9), Bob and Dee: none left, Cid: all 3, Eve: both
    expect(pairs.map((p) => p.probe)).toEqual([
      'Ann/Ann_3.jpg',
      'Ann/Ann_4.jpg',
      'Ann/Ann_5.jpg',
      'Ann/Ann_6.jpg',
      'Cid/Cid_1.jpg',
      'Cid/Cid_2.jpg',
      'Cid/Cid_3.jpg',
      'Eve/Eve_1.jpg',
      'Eve/Eve_2.jpg',
    ]);
    expect(pairs.every((p) => p.reference === p.probe)).toBe(true);
    expect(out).toMatchObject({ photos: 9, view2People: 1, otherPeople: 2 });
  });
});
