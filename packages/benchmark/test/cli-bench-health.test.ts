import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { writeBrokenCheckpoint } from './support/broken-checkpoint.js';
import { lastJsonLine, runMfr } from './support/run-mfr.js';

const work = join(tmpdir(), `mfr-cli-bench-health-${process.pid}`);
const data = join(work, 'faces');

beforeAll(async () => {
  // 3 people x 3 pictures, from face-api's sample photos
  await writeSampleDataset(data, { identities: 3, perIdentity: 3 });
  // a NaN head on finite embeddings: NaN scores (NaN embeddings are refused earlier, by embedImages)
  await writeBrokenCheckpoint(join(work, 'nan'), Number.NaN, 'head');
  await writeBrokenCheckpoint(join(work, 'zero'), 0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mfr bench with broken models', () => {
  it('warns about NaN and constant scores on stderr, in results.json and in the report, and still reports', () => {
    const out = join(work, 'out');
    const models = ['baseline:faceapi', join(work, 'nan'), join(work, 'zero')].join(',');
    const run = runMfr(
      [
        'bench',
        '--models',
        models,
        '--datasets',
        data,
        '--limit-pairs',
        '8',
        '--cache',
        join(work, 'cache'),
      ].concat(['--out', out, '--json']),
      { env: { MFR_BACKEND: 'wasm' } },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(lastJsonLine(run.stdout).results).toHaveLength(3);
    const nan = /model "nan#output" on dataset "faces": all \d+ scores are NaN or infinite \(/;
    const zero = /model "zero#output" on dataset "faces": all \d+ scores are the same value, 0\.5 \(/;
    const stderr = run.stderr.split('\n').filter((line) => line.startsWith('mfr: warning: '));
    expect(stderr).toEqual([expect.stringMatching(nan), expect.stringMatching(zero)]);
    expect(run.stderr).not.toMatch(/faceapi" on dataset/);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.warnings).toEqual([expect.stringMatching(nan), expect.stringMatching(zero)]);
    const health = Object.fromEntries(
      results.results.map((r: { model: string; health: { ok: boolean } }) => [r.model, r.health.ok]),
    );
    expect(health).toEqual({ faceapi: true, 'nan#output': false, 'zero#output': false });
    const markdown = readFileSync(join(out, 'results.md'), 'utf8');
    expect(markdown).toContain('## Warnings');
    expect(markdown).toMatch(nan);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(
      /<li><b>warning<\/b>: model &quot;zero#output/,
    );
  });
});
