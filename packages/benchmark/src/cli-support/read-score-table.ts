import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from './errors.js';

/** Scores, labels and optional identities read from a CSV/TSV file. */
export interface ScoreTable {
  scores: Float64Array;
  labels: Uint8Array;
  /** Values of the identity column, when present. */
  identities: string[] | null;
  /** Column names of the header. */
  columns: string[];
}

/** Options of readScoreTable. */
export interface ReadScoreTableOptions {
  /** Column holding 1 (same person) / 0 (different people) (default 'label'). */
  labelColumn?: string;
  /** Column holding the score (default 'score'). */
  scoreColumn?: string;
  /** Column with an identity per row, read when present (default 'identity'). */
  identityColumn?: string;
}

/**
 * Streams a CSV or TSV score file (header line first; delimiter taken from the header: tab, else comma, else
 * semicolon) into typed arrays. Extra columns are ignored; blank lines and lines starting with # are skipped.
 * Errors name the file, line and value.
 *
 * @example
 * const table = await readScoreTable('scores.csv'); // header: label,score[,identity]
 */
export async function readScoreTable(path: string, options: ReadScoreTableOptions = {}): Promise<ScoreTable> {
  const { labelColumn = 'label', scoreColumn = 'score', identityColumn = 'identity' } = options;
  if (!existsSync(path)) throw new Error(`score file ${path} does not exist.`);
  if (!statSync(path).isFile()) throw new Error(`${path} is not a file.`);
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let columns: string[] | null = null;
  let delimiter = ',';
  let labelIndex = -1;
  let scoreIndex = -1;
  let identityIndex = -1;
  let scores = new Float64Array(1024);
  let labels = new Uint8Array(1024);
  const identities: string[] = [];
  let count = 0;
  let lineNumber = 0;
  for await (const rawLine of lines) {
    lineNumber++;
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (columns === null) {
      delimiter = line.includes('\t') ? '\t' : line.includes(',') ? ',' : line.includes(';') ? ';' : ',';
      columns = splitFields(line, delimiter).map((name) => name.toLowerCase());
      labelIndex = columns.indexOf(labelColumn.toLowerCase());
      scoreIndex = columns.indexOf(scoreColumn.toLowerCase());
      identityIndex = columns.indexOf(identityColumn.toLowerCase());
      if (labelIndex < 0 || scoreIndex < 0) {
        throw new UsageError(
          `${path}: the header (line ${lineNumber}) must contain "${labelColumn}" and "${scoreColumn}" columns; found: ${columns.join(', ')}.`,
        );
      }
      continue;
    }
    const fields = splitFields(line, delimiter);
    const labelText = fields[labelIndex];
    const scoreText = fields[scoreIndex];
    if (labelText === undefined || scoreText === undefined) {
      throw new Error(`${path}:${lineNumber}: expected ${columns.length} fields, got ${fields.length}.`);
    }
    if (labelText !== '0' && labelText !== '1') {
      throw new Error(
        `${path}:${lineNumber}: label "${labelText}" must be 1 (same person) or 0 (different people).`,
      );
    }
    const score = scoreText === '' ? Number.NaN : Number(scoreText);
    if (!Number.isFinite(score)) {
      throw new Error(`${path}:${lineNumber}: score "${scoreText}" is not a finite number.`);
    }
    if (count === scores.length) {
      scores = grow(scores, new Float64Array(count * 2));
      labels = grow(labels, new Uint8Array(count * 2));
    }
    scores[count] = score;
    labels[count] = labelText === '1' ? 1 : 0;
    if (identityIndex >= 0) identities.push(fields[identityIndex] ?? '');
    count++;
  }
  if (columns === null)
    throw new Error(`${path} is empty: expected a header with "${labelColumn}" and "${scoreColumn}".`);
  return {
    scores: scores.slice(0, count),
    labels: labels.slice(0, count),
    identities: identityIndex >= 0 ? identities : null,
    columns,
  };
}

function grow<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Splits one line; fields may be wrapped in double quotes (with "" for a quote inside). */
function splitFields(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter).map((field) => field.trim());
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(current.trim());
      current = '';
    } else current += ch;
  }
  fields.push(current.trim());
  return fields;
}
