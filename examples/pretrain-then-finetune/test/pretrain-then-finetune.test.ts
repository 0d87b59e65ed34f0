import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { pretrainThenFinetune } from '../src/main.js';

describe('examples/pretrain-then-finetune', () => {
  it('masks, pre-trains and fine-tunes on a tiny folder and leaves a checkpoint', async () => {
    const work = mkdtempSync(join(tmpdir(), 'mfr-example-recipe-'));
    const data = join(work, 'people');
    // six people x three pictures, from face-api's sample photos
    await writeSampleDataset(data, { identities: 6, perIdentity: 3, size: 96 });
    const r = await pretrainThenFinetune({
      data: [data],
      out: join(work, 'out'),
      arch: 'smallcnn',
      imageSize: 32,
      faceFraction: 1,
      pretrainSteps: 2,
      finetuneSteps: 2,
      batchSize: 8,
      valFraction: 0.5,
      valImposters: 2,
    });
    expect(existsSync(join(r.backboneDir, 'model.json'))).toBe(true);
    expect(existsSync(join(r.checkpoint, 'siamese.json'))).toBe(true);
    expect(Number.isFinite(r.pretrainLoss)).toBe(true);
    expect(r.bestValPrecision).toBeGreaterThanOrEqual(0);
    expect(r.bestValPrecision).toBeLessThanOrEqual(1);
  });
});
