import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maskFolder } from '../src/main.js';

const ATT = fileURLToPath(new URL('../../../../shared/datasets/att', import.meta.url));

describe('examples/mask-a-folder', () => {
  it('masks a tiny folder and resumes on a second run', async () => {
    const work = mkdtempSync(join(tmpdir(), 'mfr-example-mask-'));
    for (const person of ['s1', 's2']) {
      mkdirSync(join(work, 'in', person), { recursive: true });
      symlinkSync(join(ATT, person, '1.png'), join(work, 'in', person, '1.png'));
    }
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
