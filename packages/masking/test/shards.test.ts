import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, shardOf } from '@mfr/core';
import { createLandmarker, type Landmarker, type ManifestRecord } from '@mfr/masking';
import {
  maskDataset,
  mergeMaskShards,
  readMaskManifest,
  SHARDS_FOLDER,
  streamMaskManifest,
  walkImages,
} from '@mfr/masking/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset, writeSampleFaceCrop } from '../../../test-support/sample-faces.js';

let landmarker: Landmarker;
let work: string;
let input: string;
const spec = { shape: 'wide', color: 'random', texture: 'pleats' } as const;
const seed = 9;

/** The effective manifest entries without their timings (the only field that differs between runs). */
async function entriesOf(dir: string): Promise<Map<string, Omit<ManifestRecord, 'ms'>>> {
  const { entries } = await readMaskManifest(dir);
  return new Map([...entries].map(([source, { ms: _ms, ...rest }]) => [source, rest]));
}

/** Output files (masked images), relative, with their bytes. */
function outputFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const visit = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) {
        if (!name.startsWith('.')) visit(rel);
      } else if (name !== 'manifest.jsonl') files.set(rel, readFileSync(join(dir, rel)));
    }
  };
  visit('');
  return files;
}

async function expectSameAsSingle(dir: string): Promise<void> {
  const single = join(work, 'single');
  expect(await entriesOf(dir)).toEqual(await entriesOf(single));
  const lines = readFileSync(join(dir, 'manifest.jsonl'), 'utf8').trim().split('\n');
  expect(lines).toHaveLength((await entriesOf(single)).size);
  const want = outputFiles(single);
  const got = outputFiles(dir);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [rel, bytes] of want) expect(got.get(rel)?.equals(bytes), rel).toBe(true);
  expect(existsSync(join(dir, SHARDS_FOLDER))).toBe(false);
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  landmarker = await createLandmarker({ kind: 'face68' });
  work = mkdtempSync(join(tmpdir(), 'mfr-mask-shards-'));
  input = join(work, 'in');
  // 7 people x 2 pictures from face-api's sample photos, and a corrupt file (an error entry)
  await writeSampleDataset(input, { identities: 7, perIdentity: 2 });
  writeFileSync(join(input, 'face-01', 'corrupt.jpg'), 'not a jpeg');
  await maskDataset(input, join(work, 'single'), spec, { landmarker, seed });
});

afterAll(() => {
  landmarker?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('sharded maskDataset + mergeMaskShards', () => {
  it('3 shards write only their own images and manifests; the merge equals a single run, byte for byte', async () => {
    const out = join(work, 'three');
    const paths: string[] = [];
    for await (const p of walkImages(input)) paths.push(p);
    for (const index of [0, 1]) {
      const r = await maskDataset(input, out, spec, { landmarker, seed, shard: { index, count: 3 } });
      const mine = paths.filter((p) => shardOf(p, 3) === index);
      expect(r.total).toBe(mine.length);
      expect(r.manifestPath).toContain(`${SHARDS_FOLDER}/${index}-of-3/manifest.`);
      expect([...(await readMaskManifest(r.manifestPath)).entries.keys()].sort()).toEqual(mine);
    }
    // no shared manifest yet; the merge refuses while shard 2 has not run, and says how to finish it
    expect(existsSync(join(out, 'manifest.jsonl'))).toBe(false);
    await expect(mergeMaskShards(out)).rejects.toThrow(
      /shard 2\/3 has not finished .*Rerun those shards \(mfr mask <input-dir> <output-dir> --shard i\/n/,
    );
    await maskDataset(input, out, spec, { landmarker, seed, shard: { index: 2, count: 3 } });
    const merged = await mergeMaskShards(out);
    expect(merged).toMatchObject({ shards: 3, attempts: 3, images: paths.length });
    expect(merged.statuses).toEqual({ masked: 13, 'not-verified': 1, error: 1 });
    await expectSameAsSingle(out);
    // merging again is a no-op
    expect((await mergeMaskShards(out)).shards).toBe(0);
  });

  it('a shard run twice at once (a speculative retry) cannot corrupt the result', async () => {
    const out = join(work, 'twins');
    const twin = () =>
      maskDataset(input, out, spec, { landmarker: { kind: 'face68' }, seed, shard: { index: 0, count: 2 } });
    const [a, b] = await Promise.all([twin(), twin()]);
    expect(a.manifestPath).not.toBe(b.manifestPath);
    await maskDataset(input, out, spec, { landmarker, seed, shard: { index: 1, count: 2 } });
    expect((await mergeMaskShards(out)).attempts).toBe(3);
    await expectSameAsSingle(out);
  });

  it('a run without a shard folds in what the shards did and masks only the rest', async () => {
    const out = join(work, 'fold');
    const r0 = await maskDataset(input, out, spec, { landmarker, seed, shard: { index: 0, count: 2 } });
    const plain = await maskDataset(input, out, spec, { landmarker, seed });
    expect(plain.counts.skipped).toBe(r0.total);
    await expectSameAsSingle(out);
  });

  it('adding files moves nothing already done: a new sharded run masks only the new files', async () => {
    const out = join(work, 'grow');
    const grown = join(work, 'grown');
    rmSync(grown, { recursive: true, force: true });
    await writeSampleDataset(grown, { identities: 5, perIdentity: 2 });
    for (const index of [0, 1])
      await maskDataset(grown, out, spec, { landmarker, seed, shard: { index, count: 2 } });
    await mergeMaskShards(out);
    const before = new Map(
      [...outputFiles(out).keys()].map((rel) => [rel, statSync(join(out, rel)).mtimeMs]),
    );
    await writeSampleFaceCrop(6, join(grown, 'face-07', '1.jpg'), { variant: 0 });
    await writeSampleFaceCrop(6, join(grown, 'face-07', '2.jpg'), { variant: 1 });
    let processed = 0;
    for (const index of [0, 1]) {
      const r = await maskDataset(grown, out, spec, { landmarker, seed, shard: { index, count: 2 } });
      const { masked, noFace, notVerified, errors } = r.counts;
      processed += masked + noFace + notVerified + errors;
    }
    expect(processed).toBe(2);
    await mergeMaskShards(out);
    for (const [rel, mtime] of before) expect(statSync(join(out, rel)).mtimeMs, rel).toBe(mtime);
    expect((await entriesOf(out)).size).toBe(12);
  });

  it('refuses to merge shards of two different counts, naming them', async () => {
    const out = join(work, 'mixed');
    await maskDataset(input, out, spec, { landmarker, seed, shard: { index: 0, count: 2 }, limit: 2 });
    await maskDataset(input, out, spec, { landmarker, seed, shard: { index: 0, count: 3 }, limit: 2 });
    await expect(mergeMaskShards(out)).rejects.toThrow(/shards of 2 and 3-way runs .*0-of-2, 0-of-3/);
  });
});

describe('streamMaskManifest', () => {
  it('gives the entries readMaskManifest gives, and only those of a shard when asked', async () => {
    const file = join(work, 'single', 'manifest.jsonl');
    const latest = new Map<string, ManifestRecord>();
    await streamMaskManifest(file, (r) => void latest.set(r.source, r));
    expect(latest).toEqual((await readMaskManifest(file)).entries);
    const mine = new Map<string, ManifestRecord>();
    await streamMaskManifest(file, (r) => void mine.set(r.source, r), { shard: { index: 1, count: 3 } });
    expect([...mine.keys()]).toEqual([...latest.keys()].filter((p) => shardOf(p, 3) === 1));
  });

  it('skips a torn last line and names the file and line of any other bad line', async () => {
    const file = join(work, 'bad.jsonl');
    const good = '{"source":"a.jpg","status":"error","reason":"x"}\n{"source":"a.jpg","status":"no-face"}\n';
    writeFileSync(file, `${good}{"source":"b.jp`);
    const seen: string[] = [];
    const r = await streamMaskManifest(file, (x) => void seen.push(`${x.source} ${x.status}`));
    expect(r).toEqual({ records: 2, tornTail: true });
    expect(seen).toEqual(['a.jpg error', 'a.jpg no-face']);
    writeFileSync(file, `${good}not json\n`);
    await expect(streamMaskManifest(file, () => undefined)).rejects.toThrow(
      /bad\.jsonl" line 3 is not valid JSON/,
    );
    writeFileSync(file, '{"source":"a.jpg","status":"maybe"}\n');
    await expect(streamMaskManifest(file, () => undefined)).rejects.toThrow(/line 1 has status "maybe"/);
    await expect(streamMaskManifest(join(work, 'missing.jsonl'), () => undefined)).rejects.toThrow(
      /Cannot read/,
    );
    expect(
      await streamMaskManifest(join(work, 'missing.jsonl'), () => undefined, { allowMissing: true }),
    ).toEqual({
      records: 0,
      tornTail: false,
    });
  });
});
