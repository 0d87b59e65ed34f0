import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { runMfr } from './support/run-mfr.js';

const work = join(tmpdir(), `mfr-cli-train-${process.pid}`);
// 22 people x 2 pictures from face-api's sample photos
const FACES = join(work, 'faces');
const masked = join(work, 'masked');

const mfr = (args: string[]) => runMfr(args, { env: { MFR_BACKEND: 'wasm' } });

beforeAll(async () => {
  await writeSampleDataset(FACES, { perIdentity: 2, size: 96 });
  // a "masked copy" in the masking job's layout: the unmasked files themselves stand in for masked ones
  // (the command only needs the manifest and readable images)
  const lines: string[] = [];
  const names = readdirSync(FACES).sort();
  let taken = 0;
  for (const name of names) {
    const files = readdirSync(join(FACES, name))
      .filter((f) => f.endsWith('.jpg'))
      .sort();
    if (files.length < 2) continue;
    mkdirSync(join(masked, name), { recursive: true });
    for (const f of files.slice(0, 2)) {
      lines.push(
        JSON.stringify({
          source: relative(FACES, join(FACES, name, f)),
          output: join(FACES, name, f),
          status: 'masked',
        }),
      );
    }
    if (++taken === 12) break;
  }
  writeFileSync(join(masked, 'manifest.jsonl'), `${lines.join('\n')}\n`);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mfr train', () => {
  it('trains a small backbone, validates, keeps checkpoints and prints a final JSON line', () => {
    const out = join(work, 'run');
    const args = [
      'train',
      '--data',
      FACES,
      '--masked',
      masked,
      '--backbone',
      'smallcnn',
      '--image-size',
      '32',
      '--freeze',
      '0.5',
      '--hardest',
      '2',
      '--sampling',
      'stratified',
      '--steps',
      '3',
      '--batch',
      '4',
      '--validate-every',
      '3',
      '--val-fraction',
      '0.5',
      '--val-imposters',
      '4',
      '--val-trials',
      '10',
      '--keep-threshold',
      '0',
      '--head-units',
      '8',
      '--adapter',
      '4',
      '--out',
      out,
      '--json',
    ];
    const run = mfr(args);
    expect(run.status, run.stderr).toBe(0);
    const last = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(last.steps).toBe(3);
    expect(last.bestValPrecision).toBeGreaterThanOrEqual(0);
    expect(last.bestValPrecision).toBeLessThanOrEqual(1);
    expect(last.imagesPerSecond).toBeGreaterThan(0);
    expect(last.checkpoints).toContain(join(out, 'best'));
    expect(existsSync(join(out, 'best', 'siamese.json'))).toBe(true);
    const { config, meta } = JSON.parse(readFileSync(join(out, 'best', 'siamese.json'), 'utf8'));
    expect(meta).toMatchObject({ framing: 'center', freeze: 0.5, hardest: 2, sampling: 'stratified' });
    expect(config.adapterUnits).toBe(4);
    expect(existsSync(join(out, 'best', 'adapter', 'model.json'))).toBe(true);
    expect(readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(/validation precision/);

    // continuing that checkpoint with another adapter width is refused, naming both
    const other = mfr([
      'train',
      '--data',
      FACES,
      '--masked',
      masked,
      '--init',
      join(out, 'best'),
      '--val-fraction',
      '0.5',
      '--val-imposters',
      '4',
      '--adapter',
      '8',
      '--out',
      join(work, 'y'),
    ]);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/--adapter 8: the checkpoint .* has 4 adapter units/);
  });

  it('rejects mismatched --data and --masked lists with a usage error', () => {
    const run = mfr(['train', '--data', `${FACES},${FACES}`, '--masked', masked, '--out', join(work, 'x')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--data has 2 folders but --masked has 1/);
  });
});
