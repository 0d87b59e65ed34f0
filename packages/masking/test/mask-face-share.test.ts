import { type MaskSpec, maskFaceShare, maskPolygon, pointInPolygon } from '@mfr/masking';
import { describe, expect, it } from 'vitest';
import { DETECTED_LFW, frontalFace, type Pt, rotatePoints, scaleTranslate } from './fixtures/landmarks.js';
import { label, SPECS } from './fixtures/specs.js';

/**
 * Hull membership by half-planes, found by brute force (independent of the library's hull and clipping code):
 * every line through two landmarks with all landmarks on one side bounds the hull.
 */
function insideHullOf(points: readonly Pt[]): (p: Pt) => boolean {
  const bounds: { a: Pt; b: Pt; sign: number }[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const [a, b] = [points[i], points[j]];
      const sides = points.map((p) => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]));
      if (sides.every((d) => d >= 0)) bounds.push({ a, b, sign: 1 });
      else if (sides.every((d) => d <= 0)) bounds.push({ a, b, sign: -1 });
    }
  return ([x, y]) =>
    bounds.every(({ a, b, sign }) => sign * ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0])) >= 0);
}

/** The shares counted on a grid of points (`step` px) in image coordinates, for an upright face. */
function rasterShares(points: readonly Pt[], spec: Partial<MaskSpec>, step: number) {
  const mask = maskPolygon(points, spec);
  const inHull = insideHullOf(points);
  const eyeY = points.slice(36, 48).reduce((a, p) => a + p[1], 0) / 12;
  const tipY = points[30][1];
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  let face = 0;
  let faceMasked = 0;
  let band = 0;
  let bandMasked = 0;
  for (let y = Math.min(...ys); y <= Math.max(...ys); y += step)
    for (let x = Math.min(...xs); x <= Math.max(...xs); x += step) {
      if (!inHull([x, y])) continue;
      const masked = pointInPolygon([x, y], mask);
      face++;
      if (masked) faceMasked++;
      if (y >= eyeY && y <= tipY) {
        band++;
        if (masked) bandMasked++;
      }
    }
  return { face: faceMasked / face, eyesToNoseTip: bandMasked / band };
}

describe('maskFaceShare', () => {
  const face = frontalFace();

  it('agrees with counting grid points inside the mask and the face outline (upright frontal face)', () => {
    for (const spec of [{ shape: 'a' }, { shape: 'c' }, { shape: 'wide' }, { shape: 'round' }] as const) {
      const exact = maskFaceShare(face, spec);
      const counted = rasterShares(face, spec, 0.5);
      // a half-pixel grid over a band some 60 px high: counting errs by well under a point
      expect(Math.abs(exact.face - counted.face), label(spec)).toBeLessThan(0.005);
      expect(Math.abs(exact.eyesToNoseTip - counted.eyesToNoseTip), label(spec)).toBeLessThan(0.01);
    }
  });

  it('is a share: within (0, 1) for every shape, on a drawn and on two detected faces', () => {
    for (const points of [face, ...Object.values(DETECTED_LFW)])
      for (const spec of SPECS) {
        const s = maskFaceShare(points, spec);
        expect(s.face, label(spec)).toBeGreaterThan(0.2);
        expect(s.face, label(spec)).toBeLessThan(1);
        expect(s.eyesToNoseTip, label(spec)).toBeGreaterThanOrEqual(0);
        expect(s.eyesToNoseTip, label(spec)).toBeLessThan(1);
      }
  });

  it('grows with the coverage setting of the NIST shapes', () => {
    for (const shape of ['wide', 'round'] as const) {
      const [high, medium, low] = (['high', 'medium', 'low'] as const).map((coverage) =>
        maskFaceShare(face, { shape, coverage }),
      );
      expect(high.face).toBeGreaterThan(medium.face);
      expect(medium.face).toBeGreaterThan(low.face);
      expect(high.eyesToNoseTip).toBeGreaterThan(medium.eyesToNoseTip);
      expect(medium.eyesToNoseTip).toBeGreaterThanOrEqual(low.eyesToNoseTip);
    }
  });

  it('depends on the face, not on where it sits: the same under rotation, scale and shift', () => {
    const centre: Pt = [120, 120];
    for (const moved of [rotatePoints(face, 33, centre), scaleTranslate(face, 0.4, centre, -30, 55)])
      for (const spec of SPECS) {
        const a = maskFaceShare(face, spec);
        const b = maskFaceShare(moved, spec);
        expect(b.face, label(spec)).toBeCloseTo(a.face, 9);
        expect(b.eyesToNoseTip, label(spec)).toBeCloseTo(a.eyesToNoseTip, 9);
      }
  });

  it('throws naming itself on a wrong landmark count', () => {
    expect(() => maskFaceShare(face.slice(0, 67))).toThrow(/maskFaceShare.*68/);
  });
});
