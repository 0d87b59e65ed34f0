import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sampleIdentity,
  writeSampleDataset,
  writeSampleFaceCrop,
} from '../../../test-support/sample-faces.js';
import { runMfr } from './support/run-mfr.js';

const work = join(tmpdir(), `mfr-cli-bench-${process.pid}`);
const data = join(work, 'faces');

const mfr = (args: string[]) => runMfr(args, { env: { MFR_BACKEND: 'wasm' } });

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

beforeAll(async () => {
  // a tiny folder-per-identity dataset: 3 people x 3 pictures, from face-api's sample photos
  await writeSampleDataset(data, { identities: 3, perIdentity: 3 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mfr bench', () => {
  const args = [
    'bench',
    '--models',
    'baseline:faceapi,baseline:mobileface,ensemble:baseline:faceapi+baseline:mobileface',
    '--datasets',
    data,
    '--limit-pairs',
    '8',
    '--cache',
    join(work, 'cache'),
    '--json',
  ];

  it('masks the probes, scores the pairs and writes the report; a rerun resumes from the cache', () => {
    const first = mfr([...args, '--out', join(work, 'out1')]);
    expect(first.status, first.stderr).toBe(0);
    const json = lastJson(first.stdout);
    expect(json.results.map((r: { model: string }) => r.model)).toEqual([
      'faceapi',
      'mobileface',
      'ensemble(faceapi+mobileface)',
    ]);
    for (const r of json.results) {
      expect(r.pairs + json.dropped.faces.authentic + json.dropped.faces.imposter).toBe(8);
      expect(r.eer).toBeGreaterThanOrEqual(0);
      expect(r.eer).toBeLessThanOrEqual(1);
    }
    for (const file of [
      'results.json',
      'results.md',
      'scores.csv',
      'index.html',
      'plots/roc-faces.svg',
      'plots/det-faces.png',
    ]) {
      expect(existsSync(join(work, 'out1', file)), file).toBe(true);
    }
    const results = JSON.parse(readFileSync(join(work, 'out1', 'results.json'), 'utf8'));
    expect(results.datasets[0].maskSource).toBe('synthetic');
    expect(readFileSync(join(work, 'out1', 'results.md'), 'utf8')).toMatch(/\| faces \| synthetic \|/);
    expect(readFileSync(join(work, 'out1', 'index.html'), 'utf8')).toContain(
      '<img src="plots/roc-faces.svg"',
    );
    const started = Date.now();
    const again = mfr([...args, '--out', join(work, 'out2')]);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(work, 'out2', 'scores.csv'), 'utf8')).toBe(
      readFileSync(join(work, 'out1', 'scores.csv'), 'utf8'),
    );
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('reports usage errors and unknown models', () => {
    expect(mfr(['bench', '--limit-pairs', '0']).status).toBe(2);
    const bad = mfr(['bench', '--models', 'baseline:vgg', '--datasets', data, '--out', join(work, 'bad')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unknown baseline/);
  });
});

describe('mfr bench --masked-dir (real masked photos)', () => {
  it('uses the masked photos as they are and marks the dataset real-mask', async () => {
    // stand-in "real masked photos": other shots of the same people in a separate folder
    const unmasked = join(work, 'real', 'unmasked');
    const maskedDir = join(work, 'real', 'masked');
    for (const face of [10, 11]) {
      const person = sampleIdentity(face);
      await writeSampleFaceCrop(face, join(unmasked, person, '1.jpg'));
      await writeSampleFaceCrop(face, join(maskedDir, person, 'm5.jpg'), { variant: 2 });
    }
    const run = mfr([
      'bench',
      '--models',
      'baseline:faceapi',
      '--datasets',
      unmasked,
      '--masked-dir',
      maskedDir,
      '--cache',
      join(work, 'cache-real'),
      '--out',
      join(work, 'out-real'),
      '--json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const json = lastJson(run.stdout);
    // <root>/unmasked + --masked-dir is reported under <root>'s name, not "unmasked"
    expect(json.results[0]).toMatchObject({ dataset: 'real', maskSource: 'real', pairs: 4 });
    expect(existsSync(join(work, 'cache-real', 'masked'))).toBe(false);
    const csv = readFileSync(join(work, 'out-real', 'scores.csv'), 'utf8');
    expect(csv).toMatch(/face-11\/1\.jpg,face-11\/m5\.jpg/);
  });
});

describe('mfr bench --exclude-identities', () => {
  it('leaves out pairs with the listed identities and reports how many; caches in the user cache folder', () => {
    writeFileSync(join(work, 'seen.txt'), 'face-01\n');
    const userCache = join(work, 'xdg');
    const args = [
      'bench',
      '--models',
      'baseline:faceapi',
      '--datasets',
      data,
      '--exclude-identities',
      join(work, 'seen.txt'),
      '--limit-pairs',
      '4',
      '--out',
      join(work, 'out-excl'),
      '--json',
    ];
    const run = runMfr(args, { env: { MFR_BACKEND: 'wasm', MFR_CACHE: '', XDG_CACHE_HOME: userCache } });
    expect(run.status, run.stderr).toBe(0);
    // no --cache: masked copies go to $XDG_CACHE_HOME/mfr (said at start), never into the work tree
    expect(run.stderr).toContain(`cache: ${join(userCache, 'mfr')}`);
    expect(existsSync(join(userCache, 'mfr', 'masked'))).toBe(true);
    const json = lastJson(run.stdout);
    expect(json.excluded.faces).toBeGreaterThan(0);
    expect(readFileSync(join(work, 'out-excl', 'scores.csv'), 'utf8')).not.toMatch(/,face-01\//);
  });
});
