import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { lastJsonLine, runMfr } from './support/run-mfr.js';
import { spawnMfr } from './support/spawn-mfr.js';

const work = mkdtempSync(join(tmpdir(), 'mfr-cli-bench-shards-'));
const data = join(work, 'faces');
const env = { MFR_BACKEND: 'wasm', MFR_DEBUG: '' };
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  // 6 people x 3 pictures from face-api's sample photos (different folders are different people)
  await writeSampleDataset(data, { identities: 6, perIdentity: 3 });
});

const benchArgs = (cache: string) => [
  'bench',
  '--models',
  'baseline:faceapi,baseline:mobileface',
  '--datasets',
  data,
  '--limit-pairs',
  '24',
  '--cache',
  cache,
];

/** key -> line of every entry of the JSONL caches of a cache folder (embeddings/ and faces/), per file name. */
function cacheEntries(cache: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const sub of ['embeddings', 'faces']) {
    for (const name of readdirSync(join(cache, sub)).filter((n) => n.endsWith('.jsonl'))) {
      const entries = new Map<string, string>();
      for (const line of readFileSync(join(cache, sub, name), 'utf8')
        .split('\n')
        .filter(Boolean)) {
        const { k, v } = JSON.parse(line) as { k: string; v: unknown };
        entries.set(k, JSON.stringify(v));
      }
      out.set(`${sub}/${name}`, entries);
    }
  }
  return out;
}

/** results.json without the fields that name the run rather than its numbers. */
const resultsOf = (out: string) => {
  const { createdAt: _c, seconds: _s, ...rest } = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  return rest;
};

describe('mfr bench --shard, mfr merge on the cache, then the report', () => {
  it('4 shard processes fill the cache a single run fills; the final run scores the same results', async () => {
    const singleCache = join(work, 'cache-single');
    const single = runMfr([...benchArgs(singleCache), '--out', join(work, 'out-single'), '--json'], { env });
    expect(single.status, single.stderr).toBe(0);

    const cache = join(work, 'cache-sharded');
    const shards = await Promise.all(
      [0, 1, 2, 3].map((i) => spawnMfr([...benchArgs(cache), '--shard', `${i}/4`, '--json'], env).done),
    );
    for (const r of shards) expect(r.status, r.stderr).toBe(0);
    const summaries = shards.map((r) => lastJsonLine(r.stdout));
    expect(summaries.map((s) => s.shard)).toEqual(['0/4', '1/4', '2/4', '3/4']);
    // a shard writes no report and no shared cache file: only its own shard files
    expect(existsSync(join(cache, 'embeddings')) && cacheEntries(cache).size).toBe(0);

    const merged = runMfr(['merge', cache, '--json'], { env });
    expect(merged.status, merged.stderr).toBe(0);
    const mergedJson = lastJsonLine(merged.stdout);
    expect(mergedJson.kind).toBe('cache');
    expect(mergedJson.masks).toHaveLength(1);
    expect(mergedJson.masks[0].shards).toBe(4);
    // the shards embedded, together, every image the single run embedded: the same vectors, bit for bit
    const want = cacheEntries(singleCache);
    const got = cacheEntries(cache);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [file, entries] of want) expect(got.get(file), file).toEqual(entries);
    const images = summaries.reduce((n, s) => n + s.datasets[0].images, 0);
    expect(images).toBe(want.get([...want.keys()].find((k) => k.startsWith('embeddings/'))!)!.size);

    // the report run finds everything cached: it adds nothing to the cache and gives the same results
    const final = runMfr([...benchArgs(cache), '--out', join(work, 'out-sharded'), '--json'], { env });
    expect(final.status, final.stderr).toBe(0);
    expect(cacheEntries(cache)).toEqual(got);
    expect(resultsOf(join(work, 'out-sharded'))).toEqual(resultsOf(join(work, 'out-single')));
    expect(readFileSync(join(work, 'out-sharded', 'scores.csv'), 'utf8')).toBe(
      readFileSync(join(work, 'out-single', 'scores.csv'), 'utf8'),
    );
  });
});
