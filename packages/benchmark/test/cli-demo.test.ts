import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import { createSiamese } from '@mfr/siamese';
import { saveSiamese } from '@mfr/siamese/node';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { demoDecisions } from '../src/demo/demo-decisions.js';
import type { DemoProbe, DemoResult } from '../src/demo/run-demo.js';
import { demoMarkdown } from '../src/demo/write-demo-report.js';
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

/**
 * A tiny working Siamese checkpoint (16 px conv backbone with seeded weights, 4-unit head, centre-crop framing)
 * with a calibration.json holding `thresholds`, as the shipped model has one.
 */
async function writeCalibratedCheckpoint(
  dir: string,
  thresholds: { far: number; threshold: number }[],
): Promise<string> {
  await initBackend({ backend: 'wasm' });
  const backbone = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [16, 16, 3],
        filters: 4,
        kernelSize: 3,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }),
      }),
      tfl.layers.globalAveragePooling2d({}),
    ],
  });
  const model = createSiamese({ backbone, headUnits: 4, seed: 3 });
  try {
    await saveSiamese(model, dir, { framing: 'center' });
  } finally {
    model.dispose();
  }
  writeFileSync(
    join(dir, 'calibration.json'),
    JSON.stringify({ thresholds, measuredOn: 'a test fixture (no people)' }),
  );
  return dir;
}

interface Decided {
  far: number;
  threshold: number;
  genuineAccepted: number;
  falseRejects: number;
  impostorAccepted: number;
  impostorRejected: number;
  falseAcceptPairs: { probe: number; gallery: number; score: number }[];
  falseRejectPairs: { probe: number; gallery: number; score: number }[];
}

/** Checks that `decisions` are the pairs of `scores` decided at its threshold (`score >= threshold` = accept). */
function expectDecisionsMatchScores(decisions: Decided, scores: number[][], trueIndex: number[]): void {
  const genuine = scores.map((row, i) => row[trueIndex[i]]);
  const impostor = scores.flatMap((row, i) => row.filter((_, j) => j !== trueIndex[i]));
  const t = decisions.threshold;
  expect(decisions.genuineAccepted).toBe(genuine.filter((s) => s >= t).length);
  expect(decisions.falseRejects).toBe(genuine.filter((s) => s < t).length);
  expect(decisions.impostorAccepted).toBe(impostor.filter((s) => s >= t).length);
  expect(decisions.impostorRejected).toBe(impostor.filter((s) => s < t).length);
  expect(decisions.falseAcceptPairs).toHaveLength(decisions.impostorAccepted);
  expect(decisions.falseRejectPairs).toHaveLength(decisions.falseRejects);
  for (const p of decisions.falseAcceptPairs) {
    expect(p.gallery).not.toBe(trueIndex[p.probe]);
    expect(p.score).toBe(scores[p.probe][p.gallery]);
    expect(p.score).toBeGreaterThanOrEqual(t);
  }
  for (const p of decisions.falseRejectPairs) {
    expect(p.gallery).toBe(trueIndex[p.probe]);
    expect(p.score).toBe(scores[p.probe][p.gallery]);
    expect(p.score).toBeLessThan(t);
  }
}

/** Where each heading appears in `text` (-1 when missing). */
const positions = (text: string, headings: string[]) => headings.map((h) => text.indexOf(h));

const SECTIONS = [
  '## False accepts',
  '## False rejects',
  '## Different-person pairs',
  '## Same-person pairs',
];

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
    // a baseline has no calibrated threshold: no decisions, and the report and the summary say why
    expect(json.decisions).toBeNull();
    expect(json.noDecisionsReason).toBe('baseline:faceapi is a baseline without a calibrated threshold');
    expect(run.stderr).toContain(
      'no accept/reject decisions: baseline:faceapi is a baseline without a calibrated threshold',
    );
    const md = readFileSync(join(out, 'demo.md'), 'utf8');
    expect(md).toContain(
      'No calibrated threshold: baseline:faceapi is a baseline without a calibrated threshold',
    );
    expect(md).toContain('each masked probe is another photo of the same person as its reference');
    expect(md.indexOf('## Different-person pairs')).toBeGreaterThan(0);
    expect(md.indexOf('## Same-person pairs')).toBeGreaterThan(md.indexOf('## Different-person pairs'));
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

  it('decides every pair at the threshold of a calibrated checkpoint and lists the mistakes first', async () => {
    // threshold 0 at FAR 0.1% accepts every pair (scores are in [0, 1]): 3 same-person, 6 false accepts
    const model = await writeCalibratedCheckpoint(join(work, 'calibrated'), [
      { far: 0.01, threshold: 2 },
      { far: 0.001, threshold: 0 },
    ]);
    const out = join(work, 'out-calibrated');
    const run = demo(['--data', data, '--model', model, '--far', '0.001', '--out', out, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const json = lastJsonLine(run.stdout);
    expect(json.decisions).toEqual({
      far: 0.001,
      threshold: 0,
      genuineAccepted: 3,
      falseRejects: 0,
      impostorAccepted: 6,
      impostorRejected: 0,
    });
    expect(run.stderr).toContain(
      'decisions at the threshold for FAR 0.1% on a test fixture (no people) (0.0000): 3 of 3 same-person pairs accepted (0 false rejects), 6 of 6 different-person pairs accepted (false accepts: 100% here)',
    );
    const result = JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8')) as DemoResult;
    expect(result.noDecisionsReason).toBeNull();
    expect(result.decisions?.measuredOn).toBe('a test fixture (no people)');
    expectDecisionsMatchScores(
      result.decisions as Decided,
      result.scores,
      result.probes.map((p) => p.trueIndex),
    );
    // each probe's closest lookalike is its highest-scoring other face
    for (const [i, p] of result.probes.entries()) {
      const others = result.scores[i].filter((_, j) => j !== p.trueIndex);
      expect(p.closestImpostorIndex).not.toBe(p.trueIndex);
      expect(p.closestImpostorScore).toBe(Math.max(...others));
    }
    const md = readFileSync(join(out, 'demo.md'), 'utf8');
    expect(md).toContain('each masked probe is another photo of the same person as its reference');
    expect(md).toContain(
      'Threshold **0.0000**, calibrated for a false accept rate of 0.1% on a test fixture',
    );
    const at = positions(md, SECTIONS);
    expect(at.every((p) => p > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toContain('6 different-person pairs scored at or above the threshold');
    expect(md).toContain('None: every same-person pair scored at or above the threshold.');
    // the false accepts appear with thumbnails in the page, before the same-person pairs
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html.match(/<figure class="pair diff mistake">/g)).toHaveLength(6 + 3); // 6 listed + 3 lookalikes
    expect(html.indexOf('<h2>False accepts')).toBeLessThan(html.indexOf('<h2>Same-person pairs'));
    expect(html).toContain('src="thumbs/probe-0.jpg"');
  });

  it('fails before reading faces when the calibration has no threshold at --far', async () => {
    const model = await writeCalibratedCheckpoint(join(work, 'calibrated-1pct'), [
      { far: 0.01, threshold: 0.5 },
    ]);
    const out = join(work, 'out-no-far');
    const run = demo(['--data', data, '--model', model, '--far', '0.001', '--out', out]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `${join(model, 'calibration.json')} has no threshold at FAR 0.001 (calibrated: 0.01)`,
    );
    expect(existsSync(out)).toBe(false);
    const bad = demo(['--data', data, '--far', '0.05', '--out', out]);
    expect(bad.status, bad.stderr).toBe(2);
    expect(bad.stderr).toContain('expected 0.01 or 0.001, got "0.05"');
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

describe('demo decisions and report (no models)', () => {
  // 3 probes x 3 faces; probe i's own face is column i
  const scores = [
    [0.9, 0.7, 0.1],
    [0.2, 0.4, 0.3],
    [0.5, 0.1, 0.8],
  ];
  const truth = [0, 1, 2];
  const at = { far: 0.01, threshold: 0.5, measuredOn: 'fixture' };

  it('accepts a pair at or above the threshold', () => {
    const d = demoDecisions(scores, truth, ['p0', 'p1', 'p2'], ['g0', 'g1', 'g2'], at);
    expect(d).toMatchObject({
      genuineAccepted: 2,
      falseRejects: 1,
      impostorAccepted: 2,
      impostorRejected: 4,
    });
    expect(d.falseAcceptPairs.map((p) => [p.probeId, p.galleryId, p.score])).toEqual([
      ['p0', 'g1', 0.7],
      ['p2', 'g0', 0.5], // equal to the threshold: accepted
    ]);
    expect(d.falseRejectPairs.map((p) => [p.probeId, p.galleryId, p.score])).toEqual([['p1', 'g1', 0.4]]);
    expectDecisionsMatchScores(d, scores, truth);
  });

  it('explains the pairs of the sample-photo mode and lists mistakes before lookalikes and same-person pairs', () => {
    const ids = ['sample1-face1', 'sample1-face2', 'sample2-face1'];
    const probes: DemoProbe[] = ids.map((id, i) => ({
      id,
      source: `${id.split('-')[0]}.jpg`,
      box: { x: 0, y: 0, width: 10, height: 10 },
      thumbnail: `thumbs/probe-${i}.jpg`,
      trueIndex: i,
      rank: 1,
      top1: true,
      bestIndex: i,
      trueScore: scores[i][i],
      bestScore: scores[i][i],
      detection: 'face',
      closestImpostorIndex: [1, 2, 0][i],
      closestImpostorScore: [0.7, 0.3, 0.5][i],
    }));
    const result: DemoResult = {
      model: 'fixture#output',
      modelSpec: 'fixture',
      source: 'face-api sample photos (sample1-6.jpg)',
      mode: 'sample-photos',
      gallery: ids.map((id) => ({ id, source: 'x.jpg', box: probes[0].box, thumbnail: `thumbs/${id}.jpg` })),
      probes,
      skipped: 0,
      top1Accuracy: 1,
      meanRank: 1,
      eer: 0,
      frr100: 0,
      genuinePairs: 3,
      impostorPairs: 6,
      decisions: demoDecisions(scores, truth, ids, ids, at),
      noDecisionsReason: null,
      scores,
      seconds: 1,
    };
    const md = demoMarkdown(result);
    expect(md).toContain(
      'each masked probe is a crop of the same photo as its reference with a synthetic mask drawn on it — the easiest case',
    );
    const at2 = positions(md, SECTIONS);
    expect(at2.every((p) => p > 0)).toBe(true);
    expect([...at2].sort((a, b) => a - b)).toEqual(at2);
    expect(md).toContain('| sample1-face1 | sample1.jpg | sample1-face2 | 0.7000 |'); // a false accept
    expect(md).toContain('| sample1-face2 | sample1.jpg | sample1-face2 | 0.4000 | 1 |'); // the false reject
    expect(md).toContain(
      '| sample1-face1 | sample1.jpg | sample1-face2 | 0.7000 | accepted (false accept) |',
    );
    expect(md).toContain(
      '| sample2-face1 | sample2.jpg | sample1-face1 | 0.5000 | accepted (false accept) |',
    );
    expect(md).toContain('| sample1-face2 | sample1.jpg | sample2-face1 | 0.3000 | rejected |');
    expect(md).toMatch(
      /\| sample1-face2 \| sample1\.jpg \| 1 \| correct \| 0\.4000 .* \| rejected \(false reject\) \|/,
    );
  });
});
