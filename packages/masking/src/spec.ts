import type { Rng } from '@mfr/core';

/**
 * What mask to draw: shape, nose coverage, colour, texture and brightness matching.
 *
 * A `MaskSpec` is plain JSON (strings and a boolean), so batch manifests can store it as is and
 * `parseMaskSpec(JSON.parse(text))` restores it.
 */

/** The six mask types of the paper's script (`a`, `c`, `e` polygons; `b`, `d`, `f` ellipses) and NIST's two. */
export const MASK_SHAPES = ['a', 'b', 'c', 'd', 'e', 'f', 'wide', 'round'] as const;
export type MaskShape = (typeof MASK_SHAPES)[number];

/** How much of the nose a NIST-style (`wide`/`round`) mask covers; the paper types ignore it. */
export const MASK_COVERAGES = ['high', 'medium', 'low'] as const;
export type MaskCoverage = (typeof MASK_COVERAGES)[number];

export const MASK_TEXTURES = ['none', 'pleats', 'cloth', 'pattern'] as const;
export type MaskTexture = (typeof MASK_TEXTURES)[number];

/** Named mask colours (sRGB hex). `white` is the paper's colour; `light-blue` and `black` are NIST's. */
export const MASK_COLORS: Readonly<Record<string, string>> = {
  white: '#ffffff',
  'light-blue': '#a8cfe6',
  'surgical-blue': '#7fb2d6',
  blue: '#2f5da8',
  navy: '#1f2a44',
  black: '#1a1a1a',
  grey: '#8c8c8c',
  gray: '#8c8c8c',
  green: '#5e8f6a',
  'surgical-green': '#8fc1a9',
  pink: '#e8a6bd',
  red: '#b0302c',
  beige: '#d9c7a7',
  yellow: '#e3c74f',
  purple: '#6b4f8f',
};

/** A colour: a name from `MASK_COLORS`, `#rrggbb`, or `random` (drawn from the render seed). */
export type MaskColor = string;

/** A complete, validated mask description (what `parseMaskSpec` returns). */
export interface MaskSpec {
  /** Outline type. Default `'a'` (the paper's datasets). */
  readonly shape: MaskShape;
  /** Nose coverage for `wide` / `round`. Default `'medium'`. */
  readonly coverage: MaskCoverage;
  /** Colour name, `#rrggbb` or `'random'`. Default `'white'` (the paper's datasets). */
  readonly color: MaskColor;
  /** Procedural texture. Default `'none'`. */
  readonly texture: MaskTexture;
  /** Scale the mask's brightness and shading to the face's lower half. Default `true`. */
  readonly matchBrightness: boolean;
}

/**
 * The defaults `parseMaskSpec` fills in, and the one default mask of every command (`mfr mask`, `mfr bench`,
 * `mfr demo`): a light-blue NIST-style wide mask, the look of the commonest real mask (a surgical mask), which
 * the benchmark's reference numbers were measured with.
 */
export const DEFAULT_MASK_SPEC: MaskSpec = Object.freeze({
  shape: 'wide',
  coverage: 'medium',
  color: 'light-blue',
  texture: 'none',
  matchBrightness: true,
});

const HEX = /^#[0-9a-fA-F]{6}$/;

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Error(
      `parseMaskSpec: ${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/**
 * Validates a partial mask description and fills in the defaults.
 *
 * Accepts a `MaskSpec`, a partial one, its JSON form, or nothing (all defaults). Unknown keys and
 * bad values throw an error that names the field and lists what is allowed.
 *
 * @example
 * parseMaskSpec({ shape: 'wide', coverage: 'high', color: 'light-blue' });
 * // { shape: 'wide', coverage: 'high', color: 'light-blue', texture: 'none', matchBrightness: true }
 * parseMaskSpec(); // the paper's white type-a mask
 */
export function parseMaskSpec(partial: Partial<MaskSpec> | Record<string, unknown> = {}): MaskSpec {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new Error(
      `parseMaskSpec: expected an object such as { shape: 'a' }, got ${JSON.stringify(partial)}`,
    );
  }
  const input = partial as Record<string, unknown>;
  const known = Object.keys(DEFAULT_MASK_SPEC);
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      throw new Error(`parseMaskSpec: unknown field '${key}'; allowed fields are ${known.join(', ')}`);
    }
  }
  const pick = (key: keyof MaskSpec) => (input[key] === undefined ? DEFAULT_MASK_SPEC[key] : input[key]);
  const color = pick('color');
  if (typeof color !== 'string' || !(color === 'random' || HEX.test(color) || color in MASK_COLORS)) {
    throw new Error(
      `parseMaskSpec: color must be a name (${Object.keys(MASK_COLORS).join(', ')}), '#rrggbb' or 'random'; got ${JSON.stringify(color)}`,
    );
  }
  const matchBrightness = pick('matchBrightness');
  if (typeof matchBrightness !== 'boolean') {
    throw new Error(
      `parseMaskSpec: matchBrightness must be true or false; got ${JSON.stringify(matchBrightness)}`,
    );
  }
  return {
    shape: oneOf('shape', pick('shape'), MASK_SHAPES),
    coverage: oneOf('coverage', pick('coverage'), MASK_COVERAGES),
    color: HEX.test(color) ? color.toLowerCase() : color,
    texture: oneOf('texture', pick('texture'), MASK_TEXTURES),
    matchBrightness,
  };
}

/**
 * The JSON form of a spec for manifests: a plain object with every field present (defaults filled).
 *
 * @example
 * JSON.stringify(maskSpecToJSON({ shape: 'round' }));
 * // '{"shape":"round","coverage":"medium","color":"white","texture":"none","matchBrightness":true}'
 */
export function maskSpecToJSON(spec: Partial<MaskSpec> = {}): {
  shape: MaskShape;
  coverage: MaskCoverage;
  color: string;
  texture: MaskTexture;
  matchBrightness: boolean;
} {
  const s = parseMaskSpec(spec);
  return {
    shape: s.shape,
    coverage: s.coverage,
    color: s.color,
    texture: s.texture,
    matchBrightness: s.matchBrightness,
  };
}

/** The values `sampleMaskSpec` draws from; each list defaults to every allowed value. */
export interface MaskSpecChoices {
  readonly shapes?: readonly MaskShape[];
  readonly coverages?: readonly MaskCoverage[];
  /** Colours to draw from. Default: every name in `MASK_COLORS` plus `'random'`. */
  readonly colors?: readonly MaskColor[];
  readonly textures?: readonly MaskTexture[];
  /** Default true. */
  readonly matchBrightness?: boolean;
}

/**
 * Draws a spec uniformly from the given choices (for datasets with varied masks, as MaskTheFace does).
 * Every draw comes from `rng`, so a per-image seed gives the same spec on every run.
 *
 * @example
 * const spec = sampleMaskSpec(createRng(`mask:${path}`), { shapes: ['wide', 'round'], colors: ['white', 'light-blue'] });
 */
export function sampleMaskSpec(rng: Rng, choices: MaskSpecChoices = {}): MaskSpec {
  const pick = <T>(field: string, list: readonly T[] | undefined, all: readonly T[]): T => {
    const from = list ?? all;
    if (from.length === 0) throw new Error(`sampleMaskSpec: ${field} must not be empty`);
    return rng.pick(from);
  };
  return parseMaskSpec({
    shape: pick('shapes', choices.shapes, MASK_SHAPES),
    coverage: pick('coverages', choices.coverages, MASK_COVERAGES),
    color: pick('colors', choices.colors, [
      ...Object.keys(MASK_COLORS).filter((c) => c !== 'gray'),
      'random',
    ]),
    texture: pick('textures', choices.textures, MASK_TEXTURES),
    matchBrightness: choices.matchBrightness ?? true,
  });
}
