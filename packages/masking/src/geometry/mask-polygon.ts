import { type MaskCoverage, type MaskSpec, parseMaskSpec } from '../spec.js';
import { type FaceFrame, faceFrame } from './frame.js';
import { type LandmarkInput, type Point, toLandmarkPoints } from './landmarks.js';
import { clipToConvex, closePolygon, convexHull, ellipsePoints, quadraticCurve } from './polygon.js';

/** Options of `maskPolygon`. */
export interface MaskPolygonOptions {
  /**
   * How far the jaw outline is pushed outwards, as a fraction of the interocular distance. Default 0.04:
   * a worn mask covers the jaw line itself, and the jaw and chin landmarks then lie strictly inside.
   */
  readonly jawMargin?: number;
  /** Vertices of the ellipse types `b`, `d`, `f`. Default 72. */
  readonly ellipseSegments?: number;
  /** Vertices of each curved top edge of `wide` / `round`. Default 12. */
  readonly curveSegments?: number;
}

/**
 * Everything the shape builders need, in the face frame (u along the eyes, v towards the mouth).
 * `p[i]` is landmark i; `jaw[i]` is jaw landmark i pushed outwards by the margin.
 */
interface FaceGeometry {
  readonly frame: FaceFrame;
  readonly p: readonly Point[];
  readonly jaw: readonly Point[];
  readonly iod: number;
}

const lerp = (a: Point, b: Point, t: number): Point => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

/** Jaw points 0-16 moved outwards along the jaw line's normal (away from the nose tip). */
function pushedJaw(p: readonly Point[], margin: number): Point[] {
  const centre = p[30];
  const out: Point[] = [];
  for (let i = 0; i <= 16; i++) {
    const prev = p[Math.max(0, i - 1)];
    const next = p[Math.min(16, i + 1)];
    let nx = next[1] - prev[1];
    let ny = -(next[0] - prev[0]);
    const len = Math.hypot(nx, ny) || 1;
    nx /= len;
    ny /= len;
    if (nx * (p[i][0] - centre[0]) + ny * (p[i][1] - centre[1]) < 0) {
      nx = -nx;
      ny = -ny;
    }
    out.push([p[i][0] + nx * margin, p[i][1] + ny * margin]);
  }
  return out;
}

/**
 * Where one side of the (pushed) jaw crosses the level v, walking up from the chin.
 * side 'right' walks 8 -> 0 (the subject's right, low u), 'left' walks 8 -> 16.
 * Returns the crossing point and the jaw indices strictly below it, ordered from the crossing to the chin.
 */
function jawAtLevel(
  jaw: readonly Point[],
  v: number,
  side: 'right' | 'left',
): { point: Point; below: number[] } {
  const step = side === 'right' ? -1 : 1;
  const below: number[] = [8];
  for (let i = 8; i !== 8 + 8 * step; i += step) {
    const a = jaw[i];
    const b = jaw[i + step];
    if (b[1] <= v) {
      // the crossing is on segment a-b (a below v, b at or above it)
      const t = a[1] === b[1] ? 0 : (a[1] - v) / (a[1] - b[1]);
      return { point: lerp(a, b, Math.min(1, Math.max(0, t))), below: below.reverse() };
    }
    below.push(i + step);
  }
  // the level is above the whole jaw side: attach at the top jaw point
  const top = below.pop()!;
  return { point: jaw[top], below: below.reverse() };
}

/** Jaw points from..to (inclusive), in index order. */
function jawRun(g: FaceGeometry, from: number, to: number): Point[] {
  const out: Point[] = [];
  for (let i = from; i <= to; i++) out.push(g.jaw[i]);
  return out;
}

/**
 * Paper type `a` (the paper's datasets): jaw 1-15, then inwards to (u of 42, v of 15), up to the top of
 * the nose bridge 27, and down to (u of 39, v of 1): covers the whole nose and reaches between the eyes.
 */
function shapeA(g: FaceGeometry): Point[] {
  const { p } = g;
  return [...jawRun(g, 1, 15), [p[42][0], p[15][1]], p[27], [p[39][0], p[1][1]]];
}

/** Paper type `c`: jaw 1-15 closed at the nose-bridge point 29 (covers the nose below the bridge). */
function shapeC(g: FaceGeometry): Point[] {
  return [...jawRun(g, 1, 15), g.p[29]];
}

/** Paper type `e`: jaw 1-15 closed along the bottom of the nose 35-31 (the nose stays uncovered). */
function shapeE(g: FaceGeometry): Point[] {
  const { p } = g;
  return [...jawRun(g, 1, 15), p[35], p[34], p[33], p[32], p[31]];
}

/**
 * Paper ellipses `b`, `d`, `f`: centred on the nose line (u of 28), top edge at `top`, bottom edge on the
 * (pushed) chin 8. The paper passes the full height and 0.8 x the jaw width 3-13 to OpenCV as half-axes,
 * which draws an ellipse twice that size, well beyond the face. Here each half (the subject's right and
 * left of the nose line) is a quarter-ellipse pair whose half-width is the distance from the nose line to
 * that side's jaw at the ellipse's centre level: the widest part reaches the jaw at the cheeks, and on a
 * turned (yawed) face the far half is narrower instead of floating off the face.
 */
function paperEllipse(g: FaceGeometry, top: number, segments: number): Point[] {
  const cu = g.p[28][0];
  const bottom = g.jaw[8][1];
  const cv = (top + bottom) / 2;
  const rv = (bottom - top) / 2;
  const rightU = cu - jawAtLevel(g.jaw, cv, 'right').point[0];
  const leftU = jawAtLevel(g.jaw, cv, 'left').point[0] - cu;
  // ellipsePoints runs from the top through +u (left jaw side) first, then -u
  return ellipsePoints([cu, cv], 1, rv, segments).map(([u, v]) => {
    const du = u - cu;
    return [cu + du * (du >= 0 ? leftU : rightU), v] as Point;
  });
}

/**
 * The top of a NIST-style mask on the nose line, by coverage:
 * high: halfway between bridge points 28 and 29; medium: halfway between 29 and the tip 30 (mid-nose);
 * low: a quarter of the way from 33 (under the tip) to the top of the upper lip 51 (just below the nose).
 */
function nistTop(g: FaceGeometry, coverage: MaskCoverage): Point {
  const { p } = g;
  if (coverage === 'high') return lerp(p[28], p[29], 0.5);
  if (coverage === 'medium') return lerp(p[29], p[30], 0.5);
  return lerp(p[33], p[51], 0.25);
}

/**
 * NIST-style `wide` and `round` masks (after Ngan et al., NISTIR 8311). Both: top point T on the nose line
 * (see `nistTop`), the sides meet the jaw at a level below T, the bottom follows the jaw through the chin.
 * wide: sides meet the jaw 0.12 x interocular below T, joined to T by nearly straight edges bowed 0.03 x
 *   interocular towards the eyes (a pleated surgical mask pulled across the cheeks).
 * round: sides meet the jaw 35% of the way from T down to the chin, joined by rounded shoulders that leave
 *   T level (a cup-shaped mask that covers less cheek).
 */
function nistShape(
  g: FaceGeometry,
  shape: 'wide' | 'round',
  coverage: MaskCoverage,
  segments: number,
): Point[] {
  const top = nistTop(g, coverage);
  const drop = shape === 'wide' ? 0.12 * g.iod : 0.35 * (g.jaw[8][1] - top[1]);
  const right = jawAtLevel(g.jaw, top[1] + drop, 'right');
  const left = jawAtLevel(g.jaw, top[1] + drop, 'left');
  const control = (a: Point): Point =>
    shape === 'wide'
      ? [(a[0] + top[0]) / 2, (a[1] + top[1]) / 2 - 0.03 * g.iod]
      : [a[0] * 0.8 + top[0] * 0.2, top[1]];
  const bottom: Point[] = [
    right.point,
    ...right.below.map((i) => g.jaw[i]),
    ...left.below
      .slice()
      .reverse()
      .slice(1)
      .map((i) => g.jaw[i]),
    left.point,
  ];
  return [
    ...bottom,
    ...quadraticCurve(left.point, control(left.point), top, segments),
    ...quadraticCurve(top, control(right.point), right.point, segments).slice(0, -1),
  ];
}

/**
 * The mask outline for a face: a closed polygon (first point repeated at the end) in image pixels.
 *
 * Every shape is built in the face's own frame (eye line and eyes-to-mouth direction, see `faceFrame`)
 * and mapped back, so masks follow tilted and rotated faces; rotating, scaling or moving the landmarks
 * does the same to the outline. The jaw part of every outline runs along the jaw landmarks pushed out
 * by `jawMargin`. Shapes and the landmarks they use:
 * - `a`: jaw 1-15, (u42, v15), 27, (u39, v1) -- the paper's datasets.
 * - `c`: jaw 1-15, 29.            - `e`: jaw 1-15, 35-31.
 * - `b`, `d`, `f`: ellipses from the chin up to v = (v27+v28)/2, v29, and v29 + 0.33 (u46 - u40).
 * - `wide`, `round` at `high` / `medium` / `low` coverage: see `nistShape` and `nistTop`.
 * The curved shapes (`b`, `d`, `f`, `wide`, `round`) are clipped to the convex hull of the pushed jaw
 * and the brows, so where an ellipse or shoulder would bulge past a narrow chin or cheek, the jaw line
 * bounds it instead.
 * Coverage only changes `wide` and `round`; the paper types have fixed heights.
 *
 * @example
 * const outline = maskPolygon(landmarks, { shape: 'wide', coverage: 'high' });
 * ctx.beginPath(); outline.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y))); ctx.fill();
 */
export function maskPolygon(
  landmarks68: ArrayLike<LandmarkInput>,
  spec: Partial<MaskSpec> = {},
  options: MaskPolygonOptions = {},
): Point[] {
  const points = toLandmarkPoints(landmarks68, 'maskPolygon');
  const { shape, coverage } = parseMaskSpec(spec);
  const { jawMargin = 0.04, ellipseSegments = 72, curveSegments = 12 } = options;
  if (!(jawMargin >= 0)) throw new Error(`maskPolygon: jawMargin must be >= 0, got ${jawMargin}`);
  if (!(ellipseSegments >= 8))
    throw new Error(`maskPolygon: ellipseSegments must be >= 8, got ${ellipseSegments}`);
  if (!(curveSegments >= 1)) throw new Error(`maskPolygon: curveSegments must be >= 1, got ${curveSegments}`);

  const frame = faceFrame(points);
  const p = points.map((q) => frame.toFace(q));
  const iod = frame.interocular;
  const g: FaceGeometry = { frame, p, jaw: pushedJaw(p, jawMargin * iod), iod };

  let outline: Point[];
  switch (shape) {
    case 'a':
      outline = shapeA(g);
      break;
    case 'c':
      outline = shapeC(g);
      break;
    case 'e':
      outline = shapeE(g);
      break;
    case 'b':
      outline = paperEllipse(g, (p[27][1] + p[28][1]) / 2, ellipseSegments);
      break;
    case 'd':
      outline = paperEllipse(g, p[29][1], ellipseSegments);
      break;
    case 'f':
      outline = paperEllipse(g, p[29][1] + 0.33 * (p[46][0] - p[40][0]), ellipseSegments);
      break;
    case 'wide':
    case 'round':
      outline = nistShape(g, shape, coverage, curveSegments);
      break;
  }
  if (shape !== 'a' && shape !== 'c' && shape !== 'e') {
    // curved outlines must not leave the face: keep them inside the hull of the pushed jaw and the brows
    outline = clipToConvex(outline, convexHull([...g.jaw, ...p.slice(17, 28)]));
  }
  return closePolygon(outline.map((q) => frame.toImage(q)));
}
