import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verificationReport } from '@mfr/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { lastJsonLine, runMfr } from './support/run-mfr.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mfr-cli-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// scores with scikit-learn's reference EER (see packages/metrics/test/fixtures)
const fixture = JSON.parse(
  readFileSync(join(root, 'packages/metrics/test/fixtures/sklearn-roc.json'), 'utf8'),
) as { cases: { scores: number[]; labels: number[]; eer: number }[] };
const { scores, labels, eer: sklearnEer } = fixture.cases[0];

function writeTable(name: string, header: string, row: (i: number) => string): string {
  const path = join(dir, name);
  writeFileSync(path, [header, ...scores.map((_, i) => row(i))].join('\n'));
  return path;
}

const mfr = (...args: string[]) => runMfr(args, { env: { MFR_DEBUG: '' } });

describe('mfr metrics', () => {
  const csv = writeTable(
    'scores.csv',
    'pair,label,score,identity',
    (i) => `${i},${labels[i]},${scores[i]},p${i % 25}`,
  );

  it('--json prints the report as the last stdout line, matching the library and scikit-learn', () => {
    const svg = join(dir, 'plots', 'metrics.svg');
    const { status, stdout, stderr } = mfr('metrics', csv, '--json', '--plot', svg);
    expect(status, stderr).toBe(0);
    const json = lastJsonLine(stdout);
    for (const key of ['eer', 'eerThreshold', 'frr100', 'frr1000', 'auc', 'genuineCount', 'impostorCount']) {
      expect(json).toHaveProperty(key);
    }
    expect(json.genuineCount).toBe(300);
    expect(json.impostorCount).toBe(700);
    expect(json.eerSweep).toBeCloseTo(sklearnEer, 9);
    const library = verificationReport({ scores, labels });
    expect(json.eer).toBe(library.eer);
    expect(json.eerThreshold).toBe(library.eerThreshold);
    expect(json.frr100.frr).toBe(library.frr100.frr);
    expect(json.curves).toBeUndefined();
    // the readable report went to stderr
    expect(stderr).toMatch(/EER\s+\d+\.\d+%/);
    expect(stderr).toMatch(/FRR100/);
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('FAR (false accept rate)');
    expect(text).toContain('threshold (accept if score &gt;= threshold)');
  });

  it('reads TSV distances with --distance and bootstraps by identity', () => {
    const tsv = writeTable(
      'distances.tsv',
      'identity\tscore\tlabel',
      (i) => `"p${i % 25}"\t${1 - scores[i]}\t${labels[i]}`,
    );
    const { status, stdout, stderr } = mfr(
      'metrics',
      tsv,
      '--distance',
      '--json',
      '--bootstrap',
      '50',
      '--seed',
      '3',
    );
    expect(status, stderr).toBe(0);
    const json = lastJsonLine(stdout);
    const library = verificationReport(
      { scores: scores.map((s) => 1 - s), labels },
      { higherIsMatch: false },
    );
    expect(json.matchRule).toBe('score <= threshold');
    expect(json.eer).toBe(library.eer);
    expect(json.eerInterval.resampling).toBe('identity');
    expect(json.eerInterval.lower).toBeLessThanOrEqual(json.eer);
  });

  it('prints the readable report on stdout without --json', () => {
    const { status, stdout } = mfr('metrics', csv);
    expect(status).toBe(0);
    expect(stdout).toMatch(/300 genuine, 700 impostor/);
    expect(stdout).toMatch(/match rule score >= threshold/);
  });

  it('fails with a clear message: bad label (exit 1), missing column and bad option (exit 2), missing file (exit 1)', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'label,score\n1,0.9\n2,0.3\n0,abc\n');
    const badLabel = mfr('metrics', bad);
    expect(badLabel.status).toBe(1);
    expect(badLabel.stderr).toContain('bad.csv:3: label "2" must be 1 (same person) or 0');
    expect(badLabel.stderr).not.toMatch(/\n\s+at /); // no stack trace without MFR_DEBUG=1

    const noColumn = join(dir, 'nocol.csv');
    writeFileSync(noColumn, 'label,similarity\n1,0.9\n');
    const missing = mfr('metrics', noColumn);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/must contain "label" and "score" columns; found: label, similarity/);

    expect(mfr('metrics', csv, '--far', 'abc').status).toBe(2);
    const noFile = mfr('metrics', join(dir, 'nope.csv'));
    expect(noFile.status).toBe(1);
    expect(noFile.stderr).toMatch(/does not exist/);
  });

  it('--help documents the command and the match rule', () => {
    const { status, stdout } = mfr('metrics', '--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/--distance/);
    expect(stdout).toMatch(/score >= threshold/);
  });
});

describe('cli-support helpers', async () => {
  const { createProgressReporter, parseIntOption, parseListOption, parseFloatOption, toJsonLine } =
    await import('@mfr/benchmark');
  it('option parsers accept valid values and reject others', () => {
    expect(parseIntOption({ min: 1 })('12')).toBe(12);
    expect(() => parseIntOption({ min: 1 })('0')).toThrow(/\[1, Infinity\]/);
    expect(() => parseIntOption()('1.5')).toThrow(/integer/);
    expect(parseListOption()('lfw, orl,,yale')).toEqual(['lfw', 'orl', 'yale']);
    expect(parseListOption(parseFloatOption({ min: 0, max: 1 }))('0.01,1e-3')).toEqual([0.01, 0.001]);
    expect(() => parseListOption()(' , ')).toThrow(/comma-separated/);
  });
  it('JSON lines turn typed arrays into arrays and stay on one line', () => {
    expect(toJsonLine({ a: new Float64Array([1, 2]), b: 'x\ny', c: Number.POSITIVE_INFINITY })).toBe(
      '{"a":[1,2],"b":"x\\ny","c":null}',
    );
  });
  it('the progress reporter prints plain lines when not on a TTY', () => {
    const lines: string[] = [];
    const stream = {
      write: (text: string) => lines.push(text) !== 0,
      isTTY: false,
    } as unknown as NodeJS.WritableStream;
    const progress = createProgressReporter({ label: 'pairs', total: 4, stream, intervalMs: 0 });
    progress.tick();
    progress.tick(3, 'done');
    progress.stop();
    progress.stop();
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^pairs: 4\/4 \(100\.0%\), [\d.]+ s, eta 0 s done\n$/);
  });
});
