import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJsonLine, runMfr } from './support/run-mfr.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ATT = join(ROOT, '..', 'shared', 'datasets', 'att');
const work = join(tmpdir(), `mfr-cli-demo-${process.pid}`);
const data = join(work, 'people');

beforeAll(() => {
  for (const person of ['s4', 's5', 's6']) {
    mkdirSync(join(data, person), { recursive: true });
    for (const k of [1, 2]) symlinkSync(join(ATT, person, `${k}.png`), join(data, person, `${k}.png`));
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mfr demo --data', () => {
  it('masks one photo per person and ranks every masked probe against all unmasked faces', () => {
    const out = join(work, 'out');
    const run = runMfr(['demo', '--data', data, '--model', 'baseline:faceapi', '--out', out, '--json'], {
      env: { MFR_BACKEND: 'wasm' },
    });
    expect(run.status, run.stderr).toBe(0);
    const json = lastJsonLine(run.stdout);
    expect(json.gallery).toBe(3);
    expect(json.probes).toBe(3);
    expect(json.ranks).toHaveLength(3);
    for (const r of json.ranks) expect(r.rank).toBeGreaterThanOrEqual(1);
    expect(json.top1Accuracy).toBe(json.ranks.filter((r: { top1: boolean }) => r.top1).length / 3);
    for (const file of ['demo.json', 'demo.md', 'index.html', 'plots/roc.svg', 'thumbs/probe-0.jpg']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(readFileSync(join(out, 'demo.md'), 'utf8')).toMatch(/\| s4 \| s4\/2\.png \|/);
  });
});
