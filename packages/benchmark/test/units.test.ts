import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  centreBox,
  checkpointName,
  cosineSimilarity,
  l2Similarity,
  listIdentities,
  meanStd,
  parseModelSpec,
  pickMainFace,
  readExcludedIdentities,
  resolveDataset,
  scoreStatistics,
  splitModelList,
} from '../src/index.js';
import { decodeVector, encodeVector, openJsonlCache } from '../src/runner/jsonl-cache.js';
import { readManifestStatuses } from '../src/runner/probes.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mfr-bench-'));

describe('datasets', () => {
  it('resolves known names under MFR_DATASETS and folders by path', async () => {
    const root = tmp();
    mkdirSync(join(root, 'att', 's1'), { recursive: true });
    mkdirSync(join(root, 'att', 's2'), { recursive: true });
    writeFileSync(join(root, 'att', 's1', '1.png'), '');
    writeFileSync(join(root, 'att', 's1', 'notes.txt'), '');
    writeFileSync(join(root, 'att', 's2', '2.png'), '');
    const att = resolveDataset('att', { env: { MFR_DATASETS: root } });
    expect(att).toMatchObject({ name: 'att', root: join(root, 'att'), fallbackCrop: 1 });
    expect(await listIdentities(att.root)).toEqual([
      { identity: 's1', images: ['s1/1.png'] },
      { identity: 's2', images: ['s2/2.png'] },
    ]);
    expect(resolveDataset(join(root, 'att')).name).toBe('att');
    expect(() => resolveDataset('lfw', { env: { MFR_DATASETS: root } })).toThrow(/MFR_DATASETS/);
    expect(() => resolveDataset(join(root, 'nope'))).toThrow(/neither a known name/);
  });
});

describe('similarities and statistics', () => {
  it('computes 1/(1+L2) and cosine', () => {
    expect(l2Similarity([0, 0], [3, 4])).toBeCloseTo(1 / 6);
    expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => l2Similarity([1], [1, 2])).toThrow(/different lengths/);
  });

  it('gives pooled and per-fold statistics', () => {
    const stats = scoreStatistics([0.9, 0.1, 0.8, 0.2, 0.3, 0.7], [1, 0, 1, 0, 1, 0], [1, 1, 2, 2, 3, 3]);
    // ROC convex hull EER: an inverted fold scores 0.5 (the hull of a worse-than-chance ROC is the diagonal)
    expect(stats.folds.perFold.map((f) => f.eer)).toEqual([0, 0, 0.5]);
    expect(stats.folds.eerMean).toBeCloseTo(1 / 6);
    expect(stats.pairs).toBe(6);
    expect(meanStd([1, 2, 3])).toEqual([2, 1]);
    expect(meanStd([5])).toEqual([5, 0]);
  });
});

describe('model arguments', () => {
  it('parses baselines, checkpoints with readouts and ensembles', () => {
    expect(parseModelSpec('baseline:faceres')).toMatchObject({ kind: 'baseline', name: 'faceres' });
    expect(parseModelSpec('ckpt/a#fc512')).toMatchObject({
      kind: 'checkpoint',
      path: 'ckpt/a',
      readout: 'fc512',
    });
    expect(parseModelSpec('ckpt/a')).toMatchObject({ readout: 'output' });
    const ens = parseModelSpec('ensemble:baseline:faceapi+ckpt/b#embedding');
    expect(ens.kind === 'ensemble' && ens.members.length).toBe(2);
    expect(() => parseModelSpec('baseline:vgg')).toThrow(/unknown baseline/);
    expect(() => parseModelSpec('ckpt#logits')).toThrow(/unknown readout/);
    expect(splitModelList('baseline:faceapi,ensemble:a,b')).toEqual(['baseline:faceapi', 'ensemble:a+b']);
    expect(splitModelList('ensemble:a+b,baseline:faceres')).toEqual(['ensemble:a+b', 'baseline:faceres']);
  });
});

describe('face helpers', () => {
  it('picks the central large face and builds the centre-crop fallback', () => {
    const boxes = [
      { x: 0, y: 0, width: 60, height: 60 },
      { x: 100, y: 100, width: 50, height: 50 },
      { x: 110, y: 110, width: 10, height: 10 },
    ];
    expect(pickMainFace(boxes, 250, 250)).toBe(1);
    expect(centreBox(250, 250, 0.5)).toEqual({ x: 62.5, y: 62.5, width: 125, height: 125 });
  });
});

describe('caches', () => {
  it('appends, reloads and skips a torn last line', () => {
    const file = join(tmp(), 'c.jsonl');
    const cache = openJsonlCache<string>(file);
    cache.set('a', encodeVector(new Float32Array([1, 2.5])));
    cache.set('b', 'x');
    appendFileSync(file, '{"k":"c","v":');
    const again = openJsonlCache<string>(file);
    expect(again.size).toBe(2);
    expect(Array.from(decodeVector(again.get('a')!))).toEqual([1, 2.5]);
    again.set('d', 'y');
    expect(openJsonlCache<string>(file).get('d')).toBe('y');
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('reads masking manifests (last status wins)', async () => {
    const file = join(tmp(), 'manifest.jsonl');
    writeFileSync(
      file,
      '{"path":"a/1.jpg","status":"no-face"}\n{"path":"a/1.jpg","status":"masked"}\n{"path":"b/2.jpg","status":"verify-failed"}\n{"torn',
    );
    const statuses = await readManifestStatuses(file);
    expect(Object.fromEntries(statuses)).toEqual({ 'a/1.jpg': 'masked', 'b/2.jpg': 'verify-failed' });
  });
});

describe('checkpoint names', () => {
  it('prefixes generic folder names with the run', () => {
    expect(checkpointName('/x/out/faceres-head/best')).toBe('faceres-head/best');
    expect(checkpointName('/x/out/run1/checkpoints/step-400')).toBe('run1/step-400');
    expect(checkpointName('/x/models/siamese-lfw')).toBe('siamese-lfw');
  });
});

describe('readExcludedIdentities', () => {
  it("reads a trainer's split.json (training identities) or a plain list", async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'split.json'),
      JSON.stringify({ datasets: [{ name: 'lfw', train: ['A', 'B'], heldOut: ['C'] }, { train: ['D'] }] }),
    );
    writeFileSync(join(dir, 'ids.txt'), '# seen\nA\n\nE\n');
    expect([...(await readExcludedIdentities(join(dir, 'split.json')))].sort()).toEqual(['A', 'B', 'D']);
    expect([...(await readExcludedIdentities(join(dir, 'ids.txt')))].sort()).toEqual(['A', 'E']);
    await expect(readExcludedIdentities(join(dir, 'nope.txt'))).rejects.toThrow(/cannot read/);
  });
});
