/**
 * More LFW photos to train on, none of them in LFW View 2's pair list: each View 2 person's photos that no pair
 * uses (up to `perPerson`, in name order), and every photo of the people with two or more photos whom View 2
 * leaves out (people no evaluation uses). Written as a pair list of self-pairs (each photo as its own reference
 * and probe) so that the benchmark's pipeline masks and embeds them as it does any condition; they are never
 * scored.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { naturalCompare } from '@mfr/core';
import { identityOf, listIdentities } from '../../src/datasets/folder.js';
import { formatPairsTsv } from '../../src/pairs/tsv.js';
import type { Pair } from '../../src/pairs/types.js';

/**
 * Writes `<dir>/lfw.tsv` and returns its folder (a `pairsDir` for the `lfw` dataset) and what it holds.
 *
 * @example
 * const extra = await writeExtraPhotoPairs('/data/lfw/images', view2Pairs, '.mfr-cache/extra-pairs');
 * extra.photos; // 2,138 with perPerson 10
 */
export async function writeExtraPhotoPairs(
  lfwRoot: string,
  view2: readonly Pair[],
  dir: string,
  perPerson = 10,
): Promise<{ pairsDir: string; photos: number; view2People: number; otherPeople: number }> {
  const used = new Set(view2.flatMap((p) => [p.reference, p.probe]));
  const view2People = new Set([...used].map(identityOf));
  const pairs: Pair[] = [];
  let fromView2People = 0;
  let otherPeople = 0;
  // natural order (photo 10 after photo 9), so that the cap keeps a person's first photos
  const people = (await listIdentities(lfwRoot)).sort((a, b) => naturalCompare(a.identity, b.identity));
  for (const { identity: person, images } of people) {
    const photos = [...images].sort(naturalCompare);
    let chosen: string[];
    if (view2People.has(person)) {
      chosen = photos.filter((rel) => !used.has(rel)).slice(0, perPerson);
      if (chosen.length > 0) fromView2People++;
    } else {
      chosen = photos.length >= 2 ? photos : [];
      if (chosen.length > 0) otherPeople++;
    }
    for (const rel of chosen) pairs.push({ reference: rel, probe: rel, label: 1, fold: 1 });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'lfw.tsv'),
    formatPairsTsv({
      pairs,
      meta: {
        dataset: 'lfw',
        generator: `photos outside LFW View 2's pairs, up to ${perPerson} per View 2 person; self-pairs, never scored`,
      },
    }),
  );
  return { pairsDir: dir, photos: pairs.length, view2People: fromView2People, otherPeople };
}
