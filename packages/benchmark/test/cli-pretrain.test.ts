import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMfr } from './support/run-mfr.js';

const root = join(import.meta.dirname, '..', '..', '..');
const att = join(root, '..', 'shared', 'datasets', 'att');
const work = mkdtempSync(join(tmpdir(), 'mfr-cli-pretrain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mfr = (args: string[]) => runMfr(args, { env: { MFR_BACKEND: '' } });

const small = [
  '--backbone',
  'smallcnn',
  '--image-size',
  '32',
  '--batch',
  '8',
  '--queue-size',
  '64',
  '--backend',
  'wasm',
];

describe('mfr pretrain', () => {
  it.skipIf(!existsSync(att))(
    'trains a few steps on ORL faces, writes a checkpoint and exports the backbone',
    () => {
      const out = join(work, 'moco');
      const exported = join(work, 'backbone');
      const run = mfr([
        'pretrain',
        '--data',
        att,
        ...small,
        '--steps',
        '3',
        '--val-identities',
        '20',
        '--val-trials',
        '10',
        '--val-every',
        '3',
        '--out',
        out,
        '--export',
        exported,
      ]);
      expect(run.stderr).toContain('pretrain:');
      expect(run.status).toBe(0);
      const result = JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
      expect(result.steps).toBe(3);
      expect(Number.isFinite(result.finalLoss)).toBe(true);
      expect(result.imagesPerSecond).toBeGreaterThan(0);
      expect(result.valPrecision).toBeGreaterThanOrEqual(0);
      expect(result.valPrecision).toBeLessThanOrEqual(1);
      expect(result.valMasked).toBe(false);
      expect(result.curve.map((point: number[]) => point[0])).toEqual([0, 3]);
      expect(JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')).step).toBe(3);
      expect(existsSync(join(exported, 'model.json'))).toBe(true);

      const changed = mfr([
        'pretrain',
        '--data',
        att,
        ...small,
        '--batch',
        '16',
        '--steps',
        '3',
        '--out',
        out,
        '--resume',
      ]);
      expect(changed.status).toBe(1);
      expect(changed.stderr).toMatch(/Cannot resume .*batchSize was 8, now 16/);
    },
  );

  it('rejects bad option combinations with a usage error', () => {
    const both = mfr([
      'pretrain',
      '--data',
      work,
      ...small,
      '--steps',
      '3',
      '--epochs',
      '1',
      '--out',
      join(work, 'x'),
    ]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('exactly one of --steps');
    const queue = mfr([
      'pretrain',
      '--data',
      work,
      ...small,
      '--queue-size',
      '60',
      '--steps',
      '3',
      '--out',
      join(work, 'x'),
    ]);
    expect(queue.status).toBe(2);
    expect(queue.stderr).toContain('--queue-size 60 must be a multiple of --batch 8');
  });
});
