import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { centreBox } from '@mfr/core';
import { openJsonlCache, writeFolderAtomic } from '@mfr/core/node';
import { describe, expect, it } from 'vitest';
import { demoRanks } from '../src/demo/demo-ranks.js';
import { assertWorkingModel } from '../src/demo/run-demo.js';
import {
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
import { resultsMarkdown } from '../src/report/markdown.js';
import { benchmarkWarnings } from '../src/report/warnings.js';
import { readManifestStatuses } from '../src/runner/probes.js';
import type { BenchmarkResults } from '../src/runner/run-benchmark.js';
import { nonFiniteAsRejections, scoreHealth } from '../src/runner/score-health.js';
import { decodeVector, encodeVector } from '../src/runner/vector-text.js';

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
    // 1 imposter pair per fold cannot resolve FAR 1%: every fold's FRR100 is flagged
    expect(stats.folds.frr100Unresolved).toBe(3);
    expect(stats.folds.perFold.every((f) => !f.frr100Resolved)).toBe(true);
  });

  it('resolves FAR 1% only with at least 100 imposter pairs, and results.md flags the folds that cannot', () => {
    const n = 100;
    const scores = [
      ...Array.from({ length: n }, (_, i) => 0.5 + i / 400),
      ...Array.from({ length: n }, (_, i) => i / 400),
    ];
    const labels = [...Array(n).fill(1), ...Array(n).fill(0)] as (0 | 1)[];
    const oneFold = scoreStatistics(scores, labels, Array(2 * n).fill(1));
    expect(oneFold.frr100Resolved).toBe(true);
    expect(oneFold.folds.frr100Unresolved).toBe(0);
    const twoFolds = scoreStatistics(
      scores,
      labels,
      scores.map((_, i) => 1 + (i % 2)),
    );
    expect(twoFolds.folds.frr100Unresolved).toBe(2); // 50 imposters each
  });
});

describe('model arguments', () => {
  it('parses baselines, checkpoints with readouts and ensembles', () => {
    expect(parseModelSpec('baseline:faceres')).toMatchObject({ kind: 'baseline', name: 'faceres' });
    expect(parseModelSpec('baseline:faceres-upper')).toMatchObject({
      kind: 'baseline',
      name: 'faceres-upper',
    });
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
      '{"source":"a/1.jpg","status":"no-face"}\n{"source":"a/1.jpg","status":"masked"}\n{"source":"b/2.jpg","status":"not-verified"}\n{"torn',
    );
    const statuses = await readManifestStatuses(file);
    expect(Object.fromEntries(statuses)).toEqual({ 'a/1.jpg': 'masked', 'b/2.jpg': 'not-verified' });
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

describe('demo ranks', () => {
  it('counts ties against the true face, so constant scores are never top-1', () => {
    const constant = [
      [0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5],
    ];
    const ranks = demoRanks(constant, [0, 1, 2]);
    expect(ranks.probes.map((p) => p.rank)).toEqual([3, 3, 3]);
    expect(ranks.probes.map((p) => p.top1)).toEqual([false, false, false]);
    // the best match named is another face, never the tied true face
    expect(ranks.probes.map((p) => p.bestIndex)).toEqual([1, 0, 0]);
    expect(ranks.top1Accuracy).toBe(0);
    expect(ranks.meanRank).toBe(3);
  });

  it('ranks distinct scores and breaks partial ties against the true face', () => {
    const ranks = demoRanks(
      [
        [0.9, 0.1, 0.2],
        [0.3, 0.8, 0.8],
        [0.7, 0.1, 0.4],
      ],
      [0, 1, 2],
    );
    expect(ranks.probes).toEqual([
      { rank: 1, top1: true, bestIndex: 0 },
      { rank: 2, top1: false, bestIndex: 2 },
      { rank: 2, top1: false, bestIndex: 0 },
    ]);
    expect(ranks.top1Accuracy).toBeCloseTo(1 / 3);
    expect(ranks.meanRank).toBeCloseTo(5 / 3);
  });
});

describe('score health', () => {
  it('passes varied finite scores', () => {
    expect(scoreHealth([0.9, 0.2, 0.4, 0.2])).toEqual({
      ok: true,
      count: 4,
      nonFinite: 0,
      distinct: 3,
      message: null,
    });
    expect(scoreHealth([0.7]).ok).toBe(true);
    expect(scoreHealth([]).ok).toBe(true);
  });

  it('flags NaN and infinite scores', () => {
    const health = scoreHealth([0.9, Number.NaN, Number.POSITIVE_INFINITY, 0.1]);
    expect(health).toMatchObject({ ok: false, count: 4, nonFinite: 2, distinct: 2 });
    expect(health.message).toMatch(/^2 of 4 scores are NaN or infinite \(.*training diverged\)$/);
    expect(scoreHealth([Number.NaN, Number.NaN], 'pair scores').message).toMatch(
      /^all 2 pair scores are NaN or infinite/,
    );
  });

  it('flags one score for every pair', () => {
    const health = scoreHealth(new Float32Array([0.5, 0.5, 0.5]));
    expect(health).toMatchObject({ ok: false, count: 3, nonFinite: 0, distinct: 1 });
    expect(health.message).toMatch(/^all 3 scores are the same value, 0\.5 \(.*does not depend on the faces/);
  });

  it('fails the demo naming the model, what is wrong and what to do', () => {
    expect(() => assertWorkingModel('baseline:faceapi', 'faceapi', [[0.2, 0.9]])).not.toThrow();
    expect(() =>
      assertWorkingModel('out/run1/best', 'run1/best#output', [
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
    ).toThrow(
      /^Model "out\/run1\/best" \(run1\/best#output\) is broken: all 4 probe x gallery scores are the same value, 0\.5 .*Retrain it/,
    );
    expect(() => assertWorkingModel('baseline:faceres', 'faceres', [[Number.NaN, 0.1]])).toThrow(
      /^Model "baseline:faceres" is broken: 1 of 2 probe x gallery scores are NaN .*run pnpm install again/,
    );
  });

  it('gives statistics of a broken model instead of throwing, with its health', () => {
    expect(nonFiniteAsRejections([0.9, Number.NaN, 0.2])).toEqual([0.9, 0.2 - 1, 0.2]);
    expect(nonFiniteAsRejections([Number.NaN, Number.NaN])).toEqual([0, 0]);
    const nan = scoreStatistics([Number.NaN, 0.2, 0.8, 0.1], [1, 0, 1, 0], [1, 1, 2, 2]);
    expect(nan.health).toMatchObject({ ok: false, nonFinite: 1 });
    // the NaN genuine pair is kept as a false reject (scored below every impostor): without it EER would be 0
    expect(nan.authentic).toBe(2);
    expect(nan.eer).toBeGreaterThan(0);
    const constant = scoreStatistics([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0], [1, 1, 2, 2]);
    expect(constant.health).toMatchObject({ ok: false, distinct: 1 });
    expect(constant.eer).toBe(0.5);
    expect(scoreStatistics([0.9, 0.1], [1, 0], [1, 1]).health.ok).toBe(true);
  });
});

describe('benchmark warnings', () => {
  const entry = (model: string, scores: number[]) => ({
    dataset: 'faces',
    model,
    family: 'ours',
    maskSource: 'synthetic' as const,
    ...scoreStatistics(scores, [1, 0, 1, 0], [1, 1, 1, 1]),
  });
  const results = {
    createdAt: '2025-01-01T00:00:00.000Z',
    backend: 'cpu',
    options: {
      models: ['baseline:faceapi', 'x/nan'],
      datasets: ['faces'],
      folds: 'all',
      limitPairs: null,
      mask: true,
      maskSpec: null,
      similarity: 'cosine',
      excludedIdentities: 0,
    },
    models: [
      { label: 'faceapi', spec: 'baseline:faceapi', family: 'baseline' },
      { label: 'nan#output', spec: 'x/nan', family: 'ours' },
    ],
    datasets: [
      {
        name: 'faces',
        root: '/faces',
        maskSource: 'synthetic',
        pairList: 'generated',
        pairsExcluded: 0,
        pairsSelected: 4,
        pairsUsed: 4,
        dropped: { authentic: 0, imposter: 0, byReason: {} },
        used: { authentic: 2, imposter: 2 },
        images: { references: 4, probes: 4, referenceFallbacks: 0, probeFallbacks: 0 },
        pairs: [],
      },
    ],
    results: [entry('faceapi', [0.9, 0.2, 0.8, 0.1]), entry('nan#output', [Number.NaN, 0.2, 0.8, 0.1])],
    pooled: [],
    seconds: 1,
  } as unknown as BenchmarkResults;

  it('names the model, the dataset and what is wrong, in the list and in results.md', () => {
    const warnings = benchmarkWarnings(results);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^model "nan#output" on dataset "faces": 1 of 4 scores are NaN or infinite \(.*\)\. Its EER, FRR100 and TAR figures are meaningless; fix or retrain the model, or leave it out of --models\.$/,
      ),
    ]);
    const markdown = resultsMarkdown(results);
    expect(markdown).toContain(`## Warnings\n\n- **warning**: ${warnings[0]}\n`);
    // 2 imposter pairs in the one fold: its FRR100 is flagged as FRR at zero false accepts
    expect(markdown).toContain('(1 of 1 folds †)');
    expect(markdown).toContain('† These folds have fewer than 100 imposter pairs');
    expect(resultsMarkdown({ ...results, results: [results.results[0]] })).not.toContain('Warnings');
  });
});

describe('writeFolderAtomic', () => {
  it('replaces the folder only when everything was written', async () => {
    const root = tmp();
    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'demo.json'), 'old');
    const failing = writeFolderAtomic(
      out,
      async (staging) => {
        writeFileSync(join(staging, 'demo.json'), 'half');
        throw new Error('image unreadable');
      },
      { marker: 'demo.json' },
    );
    await expect(failing).rejects.toThrow('image unreadable');
    expect(readdirSync(root)).toEqual(['out']);
    expect(readFileSync(join(out, 'demo.json'), 'utf8')).toBe('old');
    const value = await writeFolderAtomic(out, async (staging) => {
      writeFileSync(join(staging, 'demo.json'), 'new');
      return 42;
    });
    expect(value).toBe(42);
    expect(readdirSync(root)).toEqual(['out']);
    expect(readdirSync(out)).toEqual(['demo.json']);
    expect(readFileSync(join(out, 'demo.json'), 'utf8')).toBe('new');
  });

  it('creates a missing folder and refuses to replace a file or a folder of other files', async () => {
    const root = tmp();
    await writeFolderAtomic(join(root, 'a', 'b'), async (staging) => writeFileSync(join(staging, 'x'), ''));
    expect(existsSync(join(root, 'a', 'b', 'x'))).toBe(true);
    writeFileSync(join(root, 'file'), '');
    await expect(writeFolderAtomic(join(root, 'file'), async () => undefined)).rejects.toThrow(
      /Output folder ".*file" is a file: give a folder path/,
    );
    await expect(
      writeFolderAtomic(join(root, 'a'), async () => undefined, { marker: 'demo.json' }),
    ).rejects.toThrow(/already holds other files \(it has no demo\.json.*choose a new or empty folder/);
    expect(existsSync(join(root, 'a', 'b', 'x'))).toBe(true);
  });
});
