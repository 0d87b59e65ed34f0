import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lastJsonLine, runMfr } from './support/run-mfr.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const datasets = join(root, '..', 'shared', 'datasets');
const dir = mkdtempSync(join(tmpdir(), 'mfr-cli-mask-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// two LFW faces, one AT&T face and a corrupt file
const input = join(dir, 'in');
for (const [sub, src] of [
  ['lfw', 'lfw/images/Aaron_Eckhart/Aaron_Eckhart_0001.jpg'],
  ['lfw', 'lfw/images/AJ_Cook/AJ_Cook_0001.jpg'],
  ['att', 'att/s1/1.png'],
]) {
  mkdirSync(join(input, sub), { recursive: true });
  copyFileSync(join(datasets, src), join(input, sub, src.split('/').pop() as string));
}
writeFileSync(join(input, 'broken.jpg'), 'not a jpeg');

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
    expect(existsSync(join(out, 'lfw', 'AJ_Cook_0001.jpg'))).toBe(true);
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
