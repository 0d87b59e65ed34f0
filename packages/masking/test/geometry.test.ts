import { createRng } from '@mfr/core';
import {
  clipToConvex,
  convexHull,
  type MaskSpec,
  maskPolygon,
  maskSpecToJSON,
  parseMaskSpec,
  pointInPolygon,
  polygonArea,
  sampleMaskSpec,
} from '@mfr/masking';
import { describe, expect, it } from 'vitest';
import {
  CHIN,
  DETECTED_LFW,
  EYES,
  frontalFace,
  MOUTH,
  type Pt,
  rotatePoints,
  scaleTranslate,
} from './fixtures/landmarks.js';
import { label, SPECS } from './fixtures/specs.js';

const face = frontalFace();
const centre: Pt = [120, 120];

/** Whether the outline covers the nose tip 30 and the point under it 33, per shape and coverage. */
function expectedNose(spec: Partial<MaskSpec>): { tip: boolean; under: boolean | null } {
  if (spec.shape === 'e') return { tip: false, under: null }; // 33 is a vertex of its top edge
  if (spec.shape === 'f') return { tip: false, under: true };
  if (spec.coverage === 'low') return { tip: false, under: false };
  return { tip: true, under: true };
}

describe('maskPolygon on the canonical frontal face', () => {
  for (const spec of SPECS) {
    it(`${label(spec)}: closed, non-degenerate, covers mouth and chin, not the eyes`, () => {
      const poly = maskPolygon(face, spec);
      expect(poly.length).toBeGreaterThanOrEqual(6);
      expect(poly[0]).toEqual(poly[poly.length - 1]);
      // a mask is a large part of the face: between a quarter and the whole of the jaw-brow box
      const area = Math.abs(polygonArea(poly));
      expect(area).toBeGreaterThan(0.2 * 150 * 150);
      expect(area).toBeLessThan(170 * 170);
      for (const i of [...MOUTH, ...CHIN]) expect(pointInPolygon(face[i], poly), `point ${i}`).toBe(true);
      for (const i of EYES) expect(pointInPolygon(face[i], poly), `eye point ${i}`).toBe(false);
      for (const i of [17, 19, 21, 22, 24, 26])
        expect(pointInPolygon(face[i], poly), `brow ${i}`).toBe(false);
      const nose = expectedNose(spec);
      expect(pointInPolygon(face[30], poly), 'nose tip 30').toBe(nose.tip);
      if (nose.under !== null) expect(pointInPolygon(face[33], poly), 'under the nose 33').toBe(nose.under);
      const midNose: Pt = [(face[30][0] + face[33][0]) / 2, (face[30][1] + face[33][1]) / 2];
      if (!nose.tip) expect(pointInPolygon(midNose, poly), 'between 30 and 33').toBe(false);
    });
  }

  it('the sides reach the jaw at the cheeks: the outline passes close to the lower jaw points', () => {
    for (const spec of SPECS) {
      const poly = maskPolygon(face, spec);
      const ellipse = spec.shape === 'b' || spec.shape === 'd' || spec.shape === 'f';
      // nearest outline vertex to the jaw points: the outline does not float inside the face there
      // (polygons run along the jaw; an ellipse touches it at its widest level, near jaw 4 and 12)
      for (const j of ellipse ? [4, 12] : [4, 5, 11, 12]) {
        const d = Math.min(...poly.map((p) => Math.hypot(p[0] - face[j][0], p[1] - face[j][1])));
        expect(d, `${label(spec)} jaw ${j}`).toBeLessThan((ellipse ? 0.1 : 0.03) * 152);
      }
    }
  });

  it('higher coverage reaches higher up the nose', () => {
    for (const shape of ['wide', 'round'] as const) {
      const top = (coverage: 'high' | 'medium' | 'low') =>
        Math.min(...maskPolygon(face, { shape, coverage }).map((p) => p[1]));
      expect(top('high')).toBeLessThan(top('medium'));
      expect(top('medium')).toBeLessThan(top('low'));
      expect(pointInPolygon(face[29], maskPolygon(face, { shape, coverage: 'high' }))).toBe(true);
      expect(pointInPolygon(face[28], maskPolygon(face, { shape, coverage: 'medium' }))).toBe(false);
    }
  });

  it('type a follows the paper: its outline passes through jaw 1-15 (pushed out), the bridge 27 and both inner points', () => {
    const poly = maskPolygon(face, { shape: 'a' }, { jawMargin: 0 });
    expect(poly.length).toBe(19); // 15 jaw + 3 inner + closing point
    expect(poly[0][0]).toBeCloseTo(face[1][0], 9);
    expect(poly[16]).toEqual(face[27]);
  });
});

describe('maskPolygon follows the landmarks (equivariance)', () => {
  const cases: [string, (pts: readonly Pt[]) => Pt[]][] = [
    ['rotated 25 degrees', (pts) => rotatePoints(pts, 25, centre)],
    ['rotated -70 degrees', (pts) => rotatePoints(pts, -70, centre)],
    ['upside down', (pts) => rotatePoints(pts, 180, centre)],
    ['scaled 0.4 and moved', (pts) => scaleTranslate(pts, 0.4, centre, -30, 55)],
    ['scaled 3', (pts) => scaleTranslate(pts, 3, centre)],
  ];
  for (const [name, transform] of cases) {
    it(`${name}: the polygon of the moved landmarks is the moved polygon`, () => {
      const moved = transform(face);
      for (const spec of SPECS) {
        const expected = transform(maskPolygon(face, spec) as Pt[]);
        const actual = maskPolygon(moved, spec);
        expect(actual.length).toBe(expected.length);
        actual.forEach((p, i) => {
          expect(p[0]).toBeCloseTo(expected[i][0], 6);
          expect(p[1]).toBeCloseTo(expected[i][1], 6);
        });
        for (const i of [...MOUTH, 8]) expect(pointInPolygon(moved[i], actual)).toBe(true);
        for (const i of EYES) expect(pointInPolygon(moved[i], actual)).toBe(false);
      }
    });
  }

  it('a head turned about the eye line is not drawn in image axes: a 30-degree roll tilts the top edge', () => {
    const rolled = rotatePoints(face, 30, centre);
    const poly = maskPolygon(rolled, { shape: 'wide', coverage: 'high' });
    const upright = maskPolygon(face, { shape: 'wide', coverage: 'high' });
    // the lowest point of the upright mask is the chin; of the rolled one it is the rolled chin
    const lowest = (pts: readonly (readonly [number, number])[]) =>
      pts.reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(lowest(upright)[0]).toBeCloseTo(face[8][0], 0);
    expect(Math.abs(lowest(poly)[0] - rolled[8][0])).toBeLessThan(20);
  });
});

describe('maskPolygon on unusual faces', () => {
  const curved: Partial<MaskSpec>[] = SPECS.filter((s) => !['a', 'c', 'e'].includes(s.shape ?? 'a'));

  it('mirrored landmarks give the mirrored outline', () => {
    const mirrored = face.map(([x, y]) => [240 - x, y] as Pt);
    for (const spec of SPECS) {
      const expected = maskPolygon(face, spec).map(([x, y]) => [240 - x, y]);
      maskPolygon(mirrored, spec).forEach((p, i) => {
        expect(p[0]).toBeCloseTo(expected[i][0], 6);
        expect(p[1]).toBeCloseTo(expected[i][1], 6);
      });
    }
  });

  it('a turned (yawed) face: the far side of the mask is narrower and stays on the face', () => {
    // squeeze the subject's left half (x > nose line) to 55%, as a head turned to its left looks
    const noseX = face[30][0];
    const yawed = face.map(([x, y]) => [x > noseX ? noseX + (x - noseX) * 0.55 : x, y] as Pt);
    const jawHull = convexHull([...yawed.slice(0, 17), ...yawed.slice(17, 27)]);
    for (const spec of SPECS) {
      const poly = maskPolygon(yawed, spec, { jawMargin: 0 });
      const xs = poly.map((p) => p[0]);
      const right = noseX - Math.min(...xs);
      const left = Math.max(...xs) - noseX;
      expect(left, label(spec)).toBeLessThan(0.75 * right);
      const withMargin = maskPolygon(yawed, spec);
      for (const i of [...MOUTH, 8])
        expect(pointInPolygon(yawed[i], withMargin), `${label(spec)} point ${i}`).toBe(true);
      if (curved.includes(spec)) {
        // no vertex outside the face outline (1e-6 px tolerance)
        const clipped = clipToConvex(poly.slice(0, -1), jawHull);
        expect(Math.abs(polygonArea(clipped))).toBeCloseTo(Math.abs(polygonArea(poly)), 3);
      }
    }
  });

  it('the curved shapes never leave the hull of the pushed jaw and brows', () => {
    const narrowChin = face.map(
      ([x, y], i) => (i >= 5 && i <= 11 ? [120 + (x - 120) * 0.7, y] : [x, y]) as Pt,
    );
    const hull = convexHull([...narrowChin.slice(0, 27)]);
    for (const spec of curved) {
      const poly = maskPolygon(narrowChin, spec, { jawMargin: 0 });
      const clipped = clipToConvex(poly.slice(0, -1), hull);
      expect(Math.abs(polygonArea(clipped)), label(spec)).toBeCloseTo(Math.abs(polygonArea(poly)), 3);
    }
  });
});

describe('maskPolygon on real detector output (face-api on LFW)', () => {
  for (const [name, points] of Object.entries(DETECTED_LFW)) {
    it(`${name}: every shape covers the lips and chin, not the eyes, and stays within the face outline`, () => {
      const outline = convexHull(points.slice(0, 27));
      const faceArea = Math.abs(polygonArea(outline));
      for (const spec of SPECS) {
        const poly = maskPolygon(points, spec);
        for (const i of [...MOUTH.slice(0, 12), 8])
          expect(pointInPolygon(points[i], poly), `${label(spec)} ${i}`).toBe(true);
        for (const i of EYES) expect(pointInPolygon(points[i], poly), `${label(spec)} eye ${i}`).toBe(false);
        // at most a thin band (the jaw margin) lies outside the landmarks' own outline
        const inside = Math.abs(polygonArea(clipToConvex(poly.slice(0, -1), outline)));
        expect(Math.abs(polygonArea(poly)) - inside, label(spec)).toBeLessThan(0.06 * faceArea);
        expect(Math.abs(polygonArea(poly)), label(spec)).toBeGreaterThan(0.2 * faceArea);
      }
    });
  }
});

describe('polygon helpers', () => {
  it('convexHull drops inner points', () => {
    const hull = convexHull([
      [0, 0],
      [2, 0],
      [1, 1],
      [2, 2],
      [0, 2],
      [1, 0],
    ]);
    expect(hull).toHaveLength(4);
    expect(Math.abs(polygonArea(hull))).toBe(4);
  });
  it('clipToConvex keeps the overlap of a square and a shifted square', () => {
    const clip = convexHull([
      [1, -1],
      [5, -1],
      [5, 5],
      [1, 5],
    ]);
    const out = clipToConvex(
      [
        [0, 0],
        [4, 0],
        [4, 4],
        [0, 4],
      ],
      clip,
    );
    expect(Math.abs(polygonArea(out))).toBeCloseTo(12, 9);
    for (const p of out) expect(p[0]).toBeGreaterThanOrEqual(1);
  });
});

describe('maskPolygon input checks', () => {
  it('throws naming the count when there are not 68 landmarks', () => {
    expect(() => maskPolygon(face.slice(0, 5), {})).toThrow(/expected 68 landmarks.*got 5/);
    expect(() => maskPolygon([...face, [1, 2]], {})).toThrow(/got 69/);
  });
  it('throws on a non-finite coordinate, naming its index', () => {
    const bad = face.map((p) => [...p] as Pt);
    bad[40] = [Number.NaN, 3];
    expect(() => maskPolygon(bad, {})).toThrow(/landmark 40/);
  });
  it('accepts {x, y} objects as face-api returns them', () => {
    const objects = face.map(([x, y]) => ({ x, y }));
    expect(maskPolygon(objects, { shape: 'c' })).toEqual(maskPolygon(face, { shape: 'c' }));
  });
});

describe('parseMaskSpec', () => {
  it('fills defaults: the light-blue NIST wide mask at medium coverage, the one default of every command', () => {
    expect(parseMaskSpec()).toEqual({
      shape: 'wide',
      coverage: 'medium',
      color: 'light-blue',
      texture: 'none',
      matchBrightness: true,
    });
  });
  it('keeps given values and normalises hex colours to lower case', () => {
    const s = parseMaskSpec({
      shape: 'round',
      coverage: 'low',
      color: '#A8CFE6',
      texture: 'pleats',
      matchBrightness: false,
    });
    expect(s).toEqual({
      shape: 'round',
      coverage: 'low',
      color: '#a8cfe6',
      texture: 'pleats',
      matchBrightness: false,
    });
  });
  it('round-trips through JSON', () => {
    const s = parseMaskSpec({ shape: 'd', color: 'random', texture: 'cloth' });
    expect(parseMaskSpec(JSON.parse(JSON.stringify(maskSpecToJSON(s))))).toEqual(s);
  });
  it('sampleMaskSpec draws valid specs from the choices, the same ones for the same seed', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 40 },
        (
          (rng) => () =>
            sampleMaskSpec(rng, { shapes: ['wide', 'd'], textures: ['cloth'] })
        )(createRng(seed)),
      );
    const a = draw(5);
    expect(draw(5)).toEqual(a);
    expect(draw(6)).not.toEqual(a);
    expect(new Set(a.map((s) => s.shape))).toEqual(new Set(['wide', 'd']));
    for (const s of a) {
      expect(s.texture).toBe('cloth');
      expect(parseMaskSpec(s)).toEqual(s);
    }
    expect(() => sampleMaskSpec(createRng(1), { colors: [] })).toThrow(/colors must not be empty/);
  });

  it('throws clear errors for bad values', () => {
    expect(() => parseMaskSpec({ shape: 'z' as never })).toThrow(/shape must be one of 'a'.*got "z"/);
    expect(() => parseMaskSpec({ coverage: 'full' as never })).toThrow(/coverage must be one of/);
    expect(() => parseMaskSpec({ color: 'mauve-ish' })).toThrow(/color must be a name/);
    expect(() => parseMaskSpec({ color: '#12345' })).toThrow(/'#rrggbb'/);
    expect(() => parseMaskSpec({ texture: 'silk' as never })).toThrow(/texture must be one of/);
    expect(() => parseMaskSpec({ matchBrightness: 'yes' as never })).toThrow(
      /matchBrightness must be true or false/,
    );
    expect(() => parseMaskSpec({ colour: 'white' } as never)).toThrow(/unknown field 'colour'/);
    expect(() => parseMaskSpec(null as never)).toThrow(/expected an object/);
  });
});
