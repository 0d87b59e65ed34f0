import { filterMinImages, imageCount } from '@mfr/core';
import { scanDataset } from '@mfr/core/node';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../../../test-support/datasets.js';

// The real datasets' documented counts (see the datasets README): runs under `pnpm test:data`.
describe('scanDataset on the real datasets', () => {
  it('scans Yale B and all of LFW with the documented counts', async () => {
    const yale = await scanDataset(datasetPath('yaleb'));
    expect(yale.identities).toHaveLength(38);
    expect(imageCount(yale)).toBe(2414);
    const lfw = await scanDataset(datasetPath('lfw/images'), { name: 'lfw' });
    expect(lfw.name).toBe('lfw');
    expect(lfw.identities).toHaveLength(5749);
    expect(imageCount(lfw)).toBe(13233);
    expect(filterMinImages(lfw, 2).identities).toHaveLength(1680);
    const lfw2 = await scanDataset(datasetPath('lfw/images'), { minImagesPerIdentity: 2 });
    expect(lfw2.identities.map((i) => i.name)).toEqual(filterMinImages(lfw, 2).identities.map((i) => i.name));
  });

  it('scans AT&T: 40 identities x 10 images', async () => {
    const att = await scanDataset(datasetPath('att'));
    expect(att.identities).toHaveLength(40);
    expect(imageCount(att)).toBe(400);
  });
});
