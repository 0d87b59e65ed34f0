import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMaskManifest } from '@mfr/masking/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleFaceCrop } from '../../../test-support/sample-faces.js';
import { lastJsonLine, runMfr } from './support/run-mfr.js';

const dir = mkdtempSync(join(tmpdir(), 'mfr-cli-mask-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// two colour face photos, one greyscale PNG face and a corrupt file
const input = join(dir, 'in');
beforeAll(async () => {
  await writeSampleFaceCrop(0, join(input, 'colour', 'face-0.jpg'));
  await writeSampleFaceCrop(7, join(input, 'colour', 'face-7.jpg'));
  await writeSampleFaceCrop(16, join(input, 'grey', '1.png'), { grey: true, size: 112 });
  writeFileSync(join(input, 'broken.jpg'), 'not a jpeg');
});

const mfr = (...args: string[]) => runMfr(args, { env: { MFR_DEBUG: '' } });

describe('mfr mask', () => {
  const out = join(dir, 'out');

  it('masks a folder and prints a JSON summary as the last stdout line, a table on stderr', () => {
    const r = mfr(
      'mask',
      input,
      out,
      '--shape',
      'wide',
      '--color',
      'light-blue',
      '--seed',
      '4',
      '--workers',
      '1',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = lastJsonLine(r.stdout);
    expect(summary).toMatchObject({ total: 4, masked: 3, noFace: 0, notVerified: 0, errors: 1 });
    expect(summary.imagesPerSecond).toBeGreaterThan(0);
    expect(summary.spec).toMatchObject({ shape: 'wide', color: 'light-blue' });
    expect(r.stderr).toMatch(/not-verified/);
    expect(existsSync(join(out, 'colour', 'face-7.jpg'))).toBe(true);
    const manifest = readFileSync(join(out, 'manifest.jsonl'), 'utf8').trim().split('\n');
    expect(manifest).toHaveLength(4);
    expect(JSON.parse(manifest.find((l) => l.includes('broken.jpg')) as string).status).toBe('error');
  });

  it('resumes with --limit: nothing left to do', () => {
    const r = mfr(
      'mask',
      input,
      out,
      '--shape',
      'wide',
      '--color',
      'light-blue',
      '--seed',
      '4',
      '--limit',
      '2',
      '--workers',
      '1',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(lastJsonLine(r.stdout)).toMatchObject({ total: 2, masked: 0, skipped: 2 });
  });

  it('rejects a bad mask option with a usage error', () => {
    const r = mfr('mask', input, join(dir, 'x'), '--color', 'not-a-colour');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/color/);
    expect(mfr('mask', input, join(dir, 'x'), '--shape', 'q').status).toBe(2);
  });
});

describe('mfr mask: failures, retries and interrupted runs', () => {
  // a folder where every image fails: a corrupt JPEG and an empty PNG
  const bad = join(dir, 'bad');
  const out = join(dir, 'bad-out');
  beforeAll(() => {
    mkdirSync(join(bad, 'b'), { recursive: true });
    writeFileSync(join(bad, 'b', 'corrupt.jpg'), 'not a jpeg');
    writeFileSync(join(bad, 'empty.png'), '');
  });

  it('exits 1 when nothing was masked, listing the failures by reason (JSON still printed)', () => {
    const r = mfr('mask', bad, out, '--workers', '1', '--json');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'error 2: 1 corrupt or unsupported image (b/corrupt.jpg), 1 empty file (empty.png)',
    );
    expect(r.stderr).toMatch(/mfr: error: no image of .*bad was masked \(2 processed.*--retry-errors/);
    expect(lastJsonLine(r.stdout)).toMatchObject({
      masked: 0,
      errors: 2,
      failuresByReason: {
        'corrupt-image': { count: 1, examples: ['b/corrupt.jpg'] },
        'empty-file': { count: 1, examples: ['empty.png'] },
      },
    });
  });

  it('exits 0 on a rerun with nothing left to do, pointing at --retry-errors', () => {
    const r = mfr('mask', bad, out, '--workers', '1', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(lastJsonLine(r.stdout)).toMatchObject({ skipped: 2, earlierErrors: 2 });
    expect(r.stderr).toContain('2 image(s) failed in an earlier run and were skipped');
  });

  it('--retry-errors redoes fixed files, removes stale temp files, one effective manifest entry per image', async () => {
    await writeSampleFaceCrop(0, join(bad, 'b', 'corrupt.jpg'));
    // what a run killed with kill -9 leaves behind, and a file of the user's that looks similar
    mkdirSync(join(out, 'b'), { recursive: true });
    writeFileSync(join(out, 'b', '.corrupt.jpg.99999.0.tmp'), 'half-written');
    writeFileSync(join(out, 'keep.jpg.tmp'), 'not ours');
    const r = mfr('mask', bad, out, '--workers', '1', '--retry-errors', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(lastJsonLine(r.stdout)).toMatchObject({ masked: 1, errors: 1, staleTempFilesRemoved: 1 });
    expect(r.stderr).toContain('error 1: 1 empty file (empty.png)');
    expect(r.stderr).toContain(
      'removed 1 temp file(s) left by an interrupted run (b/.corrupt.jpg.99999.0.tmp)',
    );
    expect(existsSync(join(out, 'b', '.corrupt.jpg.99999.0.tmp'))).toBe(false);
    expect(existsSync(join(out, 'keep.jpg.tmp'))).toBe(true);
    const manifest = await readMaskManifest(out);
    expect(Object.fromEntries([...manifest.entries].map(([source, e]) => [source, e.status]))).toEqual({
      'b/corrupt.jpg': 'masked',
      'empty.png': 'error',
    });
  });

  it('says what it expected when the input is a file or missing (exit 2)', () => {
    const file = join(bad, 'empty.png');
    const r = mfr('mask', file, join(dir, 'x'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file} is a file; mfr mask takes a folder of images (searched recursively)`);
    expect(r.stderr).not.toMatch(/ENOTDIR/);
    const missing = mfr('mask', join(dir, 'nope'), join(dir, 'x'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      `${join(dir, 'nope')} does not exist; mfr mask takes a folder of images`,
    );
  });
});
