import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { maskFolder } from '../src/main.js';

describe('examples/mask-a-folder', () => {
  it('masks a tiny folder and resumes on a second run', async () => {
    const work = mkdtempSync(join(tmpdir(), 'mfr-example-mask-'));
    // two people, one picture each, from face-api's sample photos
    await writeSampleDataset(join(work, 'in'), { identities: 2, perIdentity: 1 });
    const first = await maskFolder({ input: join(work, 'in'), output: join(work, 'out') });
    expect(first.total).toBe(2);
    const c = first.counts;
    expect(c.masked + c.noFace + c.notVerified + c.errors).toBe(2);
    const lines = readFileSync(join(work, 'out', 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(2);
    const again = await maskFolder({ input: join(work, 'in'), output: join(work, 'out') });
    expect(again.counts.skipped).toBe(2);
  });
});
