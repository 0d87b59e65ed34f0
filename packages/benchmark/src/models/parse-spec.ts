/** Model arguments of `mfr bench --models` / `mfr demo --model`. */
import { BASELINE_NAMES, type BaselineName } from './baselines.js';

/** A parsed model argument. */
export type ModelSpec =
  | { kind: 'baseline'; name: BaselineName; text: string }
  | { kind: 'checkpoint'; path: string; readout: 'output' | 'fc512' | 'embedding'; text: string }
  | { kind: 'ensemble'; members: ModelSpec[]; text: string };

const READOUTS = ['output', 'fc512', 'embedding'] as const;

/**
 * Parses one model argument: `baseline:faceapi|faceres|mobileface|faceres-upper`, a Siamese checkpoint folder
 * with an optional readout (`path#output`, `#fc512`, `#embedding`; default `output`), or `ensemble:a+b` (members
 * joined by `+`).
 *
 * @example
 * parseModelSpec('baseline:faceres');           // { kind: 'baseline', name: 'faceres', ... }
 * parseModelSpec('.mfr-cache/models/s1#fc512'); // { kind: 'checkpoint', readout: 'fc512', ... }
 * parseModelSpec('ensemble:baseline:faceapi+baseline:faceres');
 */
export function parseModelSpec(text: string): ModelSpec {
  const spec = text.trim();
  if (spec.startsWith('ensemble:')) {
    const members = spec
      .slice('ensemble:'.length)
      .split('+')
      .map((m) => m.trim())
      .filter(Boolean);
    if (members.length < 2)
      throw new Error(`Model "${text}": an ensemble needs at least two members (ensemble:a+b).`);
    const parsed = members.map(parseModelSpec);
    if (parsed.some((m) => m.kind === 'ensemble'))
      throw new Error(`Model "${text}": ensembles cannot be nested.`);
    return { kind: 'ensemble', members: parsed, text: spec };
  }
  if (spec.startsWith('baseline:')) {
    const name = spec.slice('baseline:'.length);
    if (!(BASELINE_NAMES as readonly string[]).includes(name)) {
      throw new Error(
        `Model "${text}": unknown baseline; use ${BASELINE_NAMES.map((b) => `baseline:${b}`).join(', ')}.`,
      );
    }
    return { kind: 'baseline', name: name as BaselineName, text: spec };
  }
  if (spec === '') throw new Error('Empty model argument.');
  const hash = spec.lastIndexOf('#');
  const path = hash >= 0 ? spec.slice(0, hash) : spec;
  const readout = hash >= 0 ? spec.slice(hash + 1) : 'output';
  if (!(READOUTS as readonly string[]).includes(readout)) {
    throw new Error(`Model "${text}": unknown readout "${readout}"; use #output, #fc512 or #embedding.`);
  }
  return { kind: 'checkpoint', path, readout: readout as (typeof READOUTS)[number], text: spec };
}

/**
 * Splits a `--models` list: commas separate models; `ensemble:` takes the rest of the list when its members are
 * joined by commas (`ensemble:a,b`), so put such an ensemble last, or join members with `+` anywhere.
 *
 * @example
 * splitModelList('baseline:faceapi,ensemble:baseline:faceres,baseline:mobileface');
 * // ['baseline:faceapi', 'ensemble:baseline:faceres+baseline:mobileface']
 */
export function splitModelList(list: string): string[] {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    if (items[i].startsWith('ensemble:') && !items[i].includes('+') && i + 1 < items.length) {
      out.push(`${items[i]}+${items.slice(i + 1).join('+')}`);
      break;
    }
    out.push(items[i]);
  }
  return out;
}
