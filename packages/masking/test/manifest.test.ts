import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { tempPathFor } from '@mfr/core/node';
import { createFailureTally, failureCategory, parseMaskManifest } from '@mfr/masking';
import {
  dropTornTail,
  isStaleTempFile,
  readMaskManifest,
  readMaskManifestSync,
  removeStaleTempFiles,
} from '@mfr/masking/node';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'mfr-manifest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const line = (o: object) => `${JSON.stringify(o)}\n`;

describe('readMaskManifest', () => {
  it('keeps the last line per source, resolves the folder, and ignores a torn last line', async () => {
    const dir = join(work, 'ok');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'manifest.jsonl'),
      line({
        source: 'b/x.jpg',
        status: 'error',
        output: null,
        reason: 'Cannot read image "b/x.jpg": empty file',
      }) +
        line({ source: 'a.jpg', status: 'no-face', output: null }) +
        '\n' +
        line({ source: 'b/x.jpg', status: 'masked', output: 'b/x.jpg' }) +
        '{"source":"c.jp',
    );
    for (const m of [await readMaskManifest(dir), readMaskManifestSync(join(dir, 'manifest.jsonl'))]) {
      expect(m.path).toBe(join(dir, 'manifest.jsonl'));
      expect(m.folder).toBe(dir);
      expect([...m.entries.keys()]).toEqual(['b/x.jpg', 'a.jpg']);
      expect(m.entries.get('b/x.jpg')).toMatchObject({ status: 'masked', output: 'b/x.jpg' });
      expect(m.lineCount).toBe(3);
      expect(m.tornTail).toBe(true);
    }
    expect(await dropTornTail(join(dir, 'manifest.jsonl'))).toBe(true);
    expect((await readMaskManifest(dir)).tornTail).toBe(false);
    expect(await dropTornTail(join(dir, 'manifest.jsonl'))).toBe(false);
  });

  it('throws naming the file and the line on a malformed line', () => {
    const file = join(work, 'bad.jsonl');
    const bad = (text: string) => () => parseMaskManifest(text, file);
    expect(bad('{"source":"a.jpg","status":"masked"}\nnot json\n')).toThrow(
      /^Mask manifest ".*bad\.jsonl" line 2 is not valid JSON: not json\. Fix or delete that line/,
    );
    expect(bad('[1,2]\n')).toThrow(/line 1 is not a JSON object/);
    expect(bad('{"path":"a.jpg","status":"masked"}\n')).toThrow(/line 1 has no "source"/);
    expect(bad('\n{"source":"a.jpg","status":"verify-failed"}\n')).toThrow(
      /line 2 has status "verify-failed"; expected one of masked, no-face, not-verified, error/,
    );
    expect(bad('{"source":"a.jpg","status":"masked","output":3}\n')).toThrow(/line 1 has an "output"/);
    // a complete last line without its newline is read, not taken for a torn one
    expect(parseMaskManifest('{"source":"a.jpg","status":"masked"}', file).entries.size).toBe(1);
  });

  it('says to run mfr mask first when the manifest is missing, unless allowed', async () => {
    await expect(readMaskManifest(join(work, 'nowhere'))).rejects.toThrow(
      /^Mask manifest not found: folder ".*nowhere" does not exist; run the masking job first \(mfr mask <input-dir> .*nowhere\)/,
    );
    mkdirSync(join(work, 'empty'));
    expect(() => readMaskManifestSync(join(work, 'empty'))).toThrow(
      /Mask manifest not found: ".*empty" has no manifest\.jsonl; run the masking job first/,
    );
    const m = await readMaskManifest(join(work, 'empty'), { allowMissing: true });
    expect(m.entries.size).toBe(0);
  });
});

describe('failure categories', () => {
  it('groups error reasons into stable categories, ignoring quoted file names', () => {
    expect(failureCategory('Cannot read image "/d/empty.png": empty file')).toBe('empty-file');
    expect(failureCategory('Cannot read image "/d/a.jpg": unsupported or corrupt image: VipsJpeg: bad')).toBe(
      'corrupt-image',
    );
    expect(failureCategory('Cannot read image "/d/corrupt.jpg": permission denied')).toBe('unreadable');
    expect(failureCategory("EACCES: permission denied, open '/d/corrupt.jpg'")).toBe('unreadable');
    expect(failureCategory('cannot write the masked image: ENOSPC')).toBe('write-failed');
    expect(failureCategory('landmark model failed')).toBe('other');
  });

  it('tallies failures with the alphabetically first examples', () => {
    const tally = createFailureTally(2);
    for (const source of ['d.png', 'b.png', 'c.png'])
      tally.add({ source, status: 'error', reason: `Cannot read image "${source}": empty file` });
    tally.add({
      source: 'x.jpg',
      status: 'error',
      reason: 'Cannot read image "x": unsupported or corrupt image',
    });
    tally.add({ source: 'g.jpg', status: 'no-face' });
    tally.add({ source: 'm.jpg', status: 'masked' });
    const summary = tally.summary();
    expect(Object.keys(summary.errors)).toEqual(['corrupt-image', 'empty-file']);
    expect(summary.errors['empty-file']).toEqual({ count: 3, examples: ['b.png', 'c.png'] });
    expect(summary.noFace).toEqual({ count: 1, examples: ['g.jpg'] });
    expect(summary.notVerified).toEqual({ count: 0, examples: [] });
  });
});

describe('removeStaleTempFiles', () => {
  it("removes other processes' temp files of atomic image writes, and nothing else", async () => {
    const out = join(work, 'out');
    mkdirSync(join(out, 'a', '.masks'), { recursive: true });
    const stale = ['a/.1.jpg.99999.0.tmp', 'a/.masks/.1.png.4242.17.tmp', '.top.JPEG.1.2.tmp'];
    const kept = [
      basename(tempPathFor(join(out, 'mine.jpg'))), // this process: a write may be in flight
      'notes.tmp',
      'a/1.jpg.99999.0.tmp', // no leading dot: not ours
      'a/.data.json.99999.0.tmp', // not an image write
      'a/1.jpg',
    ];
    for (const p of [...stale, ...kept]) writeFileSync(join(out, p), 'x');
    expect(isStaleTempFile('.face.jpg.99999.0.tmp', 1)).toBe(true);
    expect(isStaleTempFile(basename(tempPathFor('/x/face.jpg')))).toBe(false);
    expect(await removeStaleTempFiles(out)).toEqual([...stale].sort());
    for (const p of stale) expect(existsSync(join(out, p)), p).toBe(false);
    for (const p of kept) expect(existsSync(join(out, p)), p).toBe(true);
    expect(readdirSync(join(out, 'a', '.masks'))).toEqual([]);
  });
});
