import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { runMfr } from './support/run-mfr.js';

const work = mkdtempSync(join(tmpdir(), 'mfr-cli-pretrain-'));
// 22 people x 4 pictures, from face-api's sample photos
const faces = join(work, 'faces');
beforeAll(() => writeSampleDataset(faces, { perIdentity: 4, size: 64 }));
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
  it('trains a few steps on real faces, writes a checkpoint and exports the backbone', () => {
    const out = join(work, 'moco');
    const exported = join(work, 'backbone');
    const run = mfr([
      'pretrain',
      '--data',
      faces,
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
      '--json',
    ]);
    expect(run.stderr).toContain('pretrain:');
    expect(run.status, run.stderr).toBe(0);
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
      faces,
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
  });

  it('holds out no identities by default on a small dataset, says so, and speaks JSON only with --json', () => {
    const out = join(work, 'moco-default');
    const args = ['pretrain', '--data', faces, ...small, '--steps', '2', '--out', out];
    const run = mfr(args);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'pretrain: no validation: 22 identities are too few to hold out 20 and train on the rest',
    );
    // without --json, stdout is for people: a summary and no JSON line
    expect(run.stdout).toMatch(/^pretrain: ran 2 steps \(2\/2\); last loss \d+\.\d{4}/);
    expect(run.stdout).not.toMatch(/^\{/m);
    expect(run.stderr).toMatch(/^backend: wasm \(requested\)$/m);
    expect(run.stderr).not.toContain('skipped');

    // resuming a finished run reports its last loss from the checkpoint, and no throughput
    const again = mfr([...args, '--resume', '--json']);
    expect(again.status, again.stderr).toBe(0);
    const first = mfr([...args, '--resume', '--json']);
    const result = JSON.parse(again.stdout.trim().split('\n').at(-1) as string);
    expect(result).toMatchObject({ steps: 2, stepsThisRun: 0, imagesPerSecond: null });
    expect(Number.isFinite(result.finalLoss)).toBe(true);
    expect(JSON.parse(first.stdout.trim().split('\n').at(-1) as string).finalLoss).toBe(result.finalLoss);

    const extend = mfr(['pretrain', '--data', faces, ...small, '--steps', '4', '--out', out, '--resume']);
    expect(extend.status).toBe(1);
    expect(extend.stderr).toMatch(/totalSteps was 2, now 4.*cannot be extended/);
  });

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
