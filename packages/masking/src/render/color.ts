import type { Rng } from '@mfr/core';
import { MASK_COLORS, type MaskColor } from '../spec.js';

/** An sRGB colour as three bytes. */
export type Rgb = readonly [number, number, number];

/**
 * `#rrggbb` -> [r, g, b].
 *
 * @example
 * hexToRgb('#a8cfe6'); // [168, 207, 230]
 */
export function hexToRgb(hex: string): Rgb {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex))
    throw new Error(`hexToRgb: expected '#rrggbb', got ${JSON.stringify(hex)}`);
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * [r, g, b] -> `#rrggbb` (values are rounded and clamped to 0-255).
 *
 * @example
 * rgbToHex([168, 207, 230]); // '#a8cfe6'
 */
export function rgbToHex(rgb: Rgb): string {
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return `#${rgb.map((v) => byte(v).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * HSL (hue in degrees, saturation and lightness in 0-1) -> RGB bytes.
 *
 * @example
 * hslToRgb(0, 1, 0.5); // [255, 0, 0]
 */
export function hslToRgb(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const hp = (((h % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const [r, g, b] =
    hp < 1
      ? [c, x, 0]
      : hp < 2
        ? [x, c, 0]
        : hp < 3
          ? [0, c, x]
          : hp < 4
            ? [0, x, c]
            : hp < 5
              ? [x, 0, c]
              : [c, 0, x];
  const m = l - c / 2;
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/**
 * Turns a spec colour into RGB. Names come from `MASK_COLORS`; `'random'` draws a fabric-like colour
 * (any hue, saturation 0.1-0.6, lightness 0.2-0.9) from `rng`, so the same seed gives the same colour.
 *
 * @example
 * resolveMaskColor('light-blue', createRng(1)); // [168, 207, 230]
 * resolveMaskColor('random', createRng(1));     // the same colour every time for seed 1
 */
export function resolveMaskColor(color: MaskColor, rng: Rng): Rgb {
  if (color === 'random') return hslToRgb(rng.range(0, 360), rng.range(0.1, 0.6), rng.range(0.2, 0.9));
  const hex = color.startsWith('#') ? color : MASK_COLORS[color];
  if (!hex) {
    throw new Error(
      `resolveMaskColor: unknown colour ${JSON.stringify(color)}; use a name from MASK_COLORS or '#rrggbb'`,
    );
  }
  return hexToRgb(hex);
}

/**
 * Rec. 601 luma of an RGB triple (0-255).
 *
 * @example
 * luma(255, 255, 255); // 255
 */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}
