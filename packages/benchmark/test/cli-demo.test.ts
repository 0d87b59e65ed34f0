import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { writeBrokenCheckpoint } from './support/broken-checkpoint.js';
import { lastJsonLine, runMfr } from './support/run-mfr.js';

const work = join(tmpdir(), `mfr-cli-demo-${process.pid}`);
const data = join(work, 'people');

const demo = (args: string[]) => runMfr(['demo', ...args], { env: { MFR_BACKEND: 'wasm' } });

/** Files and folders under `dir`, relative, sorted. */
const listTree = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).sort();

/** A folder as an earlier successful `mfr demo` left it (a marker demo.json and a thumbnail). */
function writePreviousDemo(out: string): void {
  mkdirSync(join(out, 'thumbs'), { recursive: true });
  writeFileSync(join(out, 'demo.json'), '{"previous":true}');
  writeFileSync(join(out, 'thumbs', 'old.jpg'), 'old');
}

/** Staging folders (`.<name>.<pid>.<id>.tmp`) a run left beside its output. */
const leftovers = () => readdirSync(work).filter((name) => name.startsWith('.'));

beforeAll(async () => {
  // 3 people x 2 pictures, from face-api's sample photos
  await writeSampleDataset(data, { identities: 3, perIdentity: 2 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mfr demo --data', () => {
  it('masks one photo per person and ranks every masked probe against all unmasked faces', () => {
    const out = join(work, 'out');
    writePreviousDemo(out);
    const run = demo(['--data', data, '--model', 'baseline:faceapi', '--out', out, '--json']);
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
    expect(readFileSync(join(out, 'demo.md'), 'utf8')).toMatch(/\| face-01 \| face-01\/2\.jpg \|/);
    // the earlier output was replaced as a whole, through a staging folder that is gone
    expect(existsSync(join(out, 'thumbs', 'old.jpg'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ['NaN', Number.NaN, /all 9 probe x gallery scores are NaN or infinite/],
    ['zero', 0, /all 9 probe x gallery scores are the same value, 0\.5/],
  ])('fails on a broken model (%s weights) and keeps the earlier output', async (name, value, what) => {
    const model = await writeBrokenCheckpoint(join(work, `${name}-model`), value);
    const out = join(work, `out-${name}`);
    writePreviousDemo(out);
    const before = listTree(out);
    const run = demo(['--data', data, '--model', model, '--out', out]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain(`mfr: error: Model "${model}" (${name}-model#output) is broken: `);
    expect(run.stderr).toMatch(what);
    expect(run.stderr).toMatch(/Retrain it .* or pick another checkpoint with --model/);
    expect(listTree(out)).toEqual(before);
    expect(readFileSync(join(out, 'demo.json'), 'utf8')).toBe('{"previous":true}');
    expect(leftovers()).toEqual([]);
  });

  it('leaves no partial output when an image cannot be read', () => {
    const bad = join(work, 'people-bad');
    cpSync(data, bad, { recursive: true });
    // the second person's gallery photo: the first person's thumbnail is already written when it fails
    writeFileSync(join(bad, 'face-02', '1.jpg'), 'not a jpeg');
    const out = join(work, 'out-bad');
    const run = demo(['--data', bad, '--model', 'baseline:faceapi', '--out', out]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain(`Cannot read image "${join(bad, 'face-02', '1.jpg')}"`);
    expect(existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
