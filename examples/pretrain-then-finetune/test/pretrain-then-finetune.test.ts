import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pretrainThenFinetune } from '../src/main.js';

const ATT = fileURLToPath(new URL('../../../../shared/datasets/att', import.meta.url));

describe('examples/pretrain-then-finetune', () => {
  it('masks, pre-trains and fine-tunes on a tiny folder and leaves a checkpoint', async () => {
    const work = mkdtempSync(join(tmpdir(), 'mfr-example-recipe-'));
    const data = join(work, 'people');
    for (const person of ['s1', 's2', 's3', 's4', 's5', 's6']) {
      mkdirSync(join(data, person), { recursive: true });
      for (const k of [1, 2, 3]) symlinkSync(join(ATT, person, `${k}.png`), join(data, person, `${k}.png`));
    }
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
