import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManifestRecord } from '@mfr/masking';
import { readMaskManifest } from '@mfr/masking/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { lastJsonLine, runMfr } from './support/run-mfr.js';
import { spawnMfr } from './support/spawn-mfr.js';

const dir = mkdtempSync(join(tmpdir(), 'mfr-cli-mask-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = join(dir, 'in');
const single = join(dir, 'single');
const maskArgs = [
  '--shape',
  'wide',
  '--color',
  'random',
  '--texture',
  'pleats',
  '--seed',
  '4',
  '--workers',
  '1',
];
const env = { MFR_DEBUG: '', MFR_BACKEND: 'wasm' };

beforeAll(async () => {
  // all 22 people of face-api's sample photos, 3 pictures each, and a corrupt file
  await writeSampleDataset(input, { perIdentity: 3 });
  writeFileSync(join(input, 'face-03', 'broken.jpg'), 'not a jpeg');
  const r = runMfr(['mask', input, single, ...maskArgs, '--json'], { env });
  expect(r.status, r.stderr).toBe(0);
  expect(lastJsonLine(r.stdout)).toMatchObject({ total: 67, errors: 1 });
});

/** Effective manifest entries without their timings (the only field that differs between runs). */
async function entriesOf(folder: string): Promise<Map<string, Omit<ManifestRecord, 'ms'>>> {
  const { entries } = await readMaskManifest(folder);
  return new Map([...entries].map(([source, { ms: _ms, ...rest }]) => [source, rest]));
}

/** Every file of an output tree but the manifest, relative path -> bytes (hidden files included). */
function filesOf(folder: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (rel: string) => {
    for (const name of readdirSync(join(folder, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(folder, path)).isDirectory()) visit(path);
      else if (path !== 'manifest.jsonl') out.set(path, readFileSync(join(folder, path)));
    }
  };
  visit('');
  return out;
}

/** The merged folder holds what the single run holds: one manifest line per image, the same entries, byte-identical images. */
async function expectSameAsSingle(folder: string): Promise<void> {
  const want = await entriesOf(single);
  expect(await entriesOf(folder)).toEqual(want);
  expect(readFileSync(join(folder, 'manifest.jsonl'), 'utf8').trim().split('\n')).toHaveLength(want.size);
  const wantFiles = filesOf(single);
  const gotFiles = filesOf(folder);
  expect([...gotFiles.keys()].sort()).toEqual([...wantFiles.keys()].sort());
  for (const [path, bytes] of wantFiles) expect(gotFiles.get(path)?.equals(bytes), path).toBe(true);
}

const shardRun = (out: string, i: number, n: number, extra: string[] = []) =>
  spawnMfr(['mask', input, out, ...maskArgs, '--shard', `${i}/${n}`, '--json', ...extra], env);

describe('mfr mask --shard and mfr merge', () => {
  it('4 shard processes at once plus a merge give what a single run gives', async () => {
    const out = join(dir, 'four');
    const runs = await Promise.all([0, 1, 2, 3].map((i) => shardRun(out, i, 4).done));
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    const totals = runs.map((r) => lastJsonLine(r.stdout).total as number);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(67);
    expect(runs.map((r) => lastJsonLine(r.stdout).shard)).toEqual(['0/4', '1/4', '2/4', '3/4']);
    // the shards wrote no shared manifest
    expect(existsSync(join(out, 'manifest.jsonl'))).toBe(false);
    const merged = runMfr(['merge', out, '--json'], { env });
    expect(merged.status, merged.stderr).toBe(0);
    expect(lastJsonLine(merged.stdout)).toMatchObject({ kind: 'mask', masks: [{ shards: 4, images: 67 }] });
    await expectSameAsSingle(out);
    // again: nothing left to merge
    expect(lastJsonLine(runMfr(['merge', out, '--json'], { env }).stdout).kind).toBe('none');
  });

  it('a shard killed mid-run is rerun, resumes from its own manifest, and the merge is the same', async () => {
    const out = join(dir, 'killed');
    const others = [0, 1, 3].map((i) => shardRun(out, i, 4));
    // one image per batch, so that it records its images one by one (the outputs do not depend on the batch size)
    const victim = shardRun(out, 2, 4, ['--batch-size', '1']);
    const shardDir = join(out, '.shards', '2-of-4');
    // kill it as soon as it has recorded its first image
    const lines = () =>
      existsSync(shardDir)
        ? readdirSync(shardDir)
            .filter((n) => n.endsWith('.jsonl'))
            .map((n) => readFileSync(join(shardDir, n), 'utf8').split('\n').filter(Boolean).length)
            .reduce((a, b) => a + b, 0)
        : 0;
    while (lines() === 0) await new Promise((r) => setTimeout(r, 10));
    victim.child.kill('SIGKILL');
    expect((await victim.done).signal).toBe('SIGKILL');
    for (const r of await Promise.all(others.map((o) => o.done))) expect(r.status, r.stderr).toBe(0);
    const recorded = lines();
    expect(existsSync(join(shardDir, 'done.json'))).toBe(false);
    // the merge refuses, naming the shard and how to finish it
    const early = runMfr(['merge', out], { env });
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/shard 2\/4 has not finished.*Rerun those shards/s);
    const rerun = runMfr(['mask', input, out, ...maskArgs, '--shard', '2/4', '--json'], { env });
    expect(rerun.status, rerun.stderr).toBe(0);
    const summary = lastJsonLine(rerun.stdout);
    expect(summary.skipped).toBe(recorded);
    // it was killed mid-run: some of its images were left to the rerun
    expect(summary.total).toBeGreaterThan(recorded);
    expect(summary.masked + summary.noFace + summary.notVerified + summary.errors).toBe(
      summary.total - recorded,
    );
    expect(runMfr(['merge', out], { env }).status).toBe(0);
    await expectSameAsSingle(out);
  });

  it('rejects a bad --shard and incomplete scheduler variables with a usage error', () => {
    const bad = runMfr(['mask', input, join(dir, 'x'), '--shard', '4/4'], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/0\.\.3 \(0-based\)/);
    const k8s = runMfr(['mask', input, join(dir, 'x')], { env: { ...env, JOB_COMPLETION_INDEX: '1' } });
    expect(k8s.status).toBe(2);
    expect(k8s.stderr).toMatch(/MFR_SHARD_COUNT/);
    const nothing = runMfr(['merge', input], { env });
    expect(nothing.status).not.toBe(0);
    expect(nothing.stderr).toMatch(/holds neither shard manifests/);
  });
});
