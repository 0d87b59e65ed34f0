import type { Point } from './landmarks.js';

/**
 * Small polygon helpers shared by the mask shapes and the tests.
 */

/**
 * Whether a point lies strictly inside a polygon (even-odd rule; the polygon may be closed or open).
 *
 * @example
 * pointInPolygon([1, 1], [[0, 0], [2, 0], [2, 2], [0, 2]]); // true
 */
export function pointInPolygon(p: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  const n = polygon.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Signed area (shoelace): positive when the vertices run clockwise on screen (y down).
 *
 * @example
 * polygonArea([[0, 0], [2, 0], [2, 2], [0, 2]]); // 4
 */
export function polygonArea(polygon: readonly Point[]): number {
  let a = 0;
  const n = polygon.length;
  for (let i = 0, j = n - 1; i < n; j = i++)
    a += polygon[j][0] * polygon[i][1] - polygon[i][0] * polygon[j][1];
  return a / 2;
}

/**
 * Returns the polygon with its first point repeated at the end (unchanged when already closed).
 *
 * @example
 * closePolygon([[0, 0], [1, 0], [0, 1]]); // [[0, 0], [1, 0], [0, 1], [0, 0]]
 */
export function closePolygon(polygon: readonly Point[]): Point[] {
  const out = polygon.map((p) => [p[0], p[1]] as Point);
  if (out.length === 0) return out;
  const first = out[0];
  const last = out[out.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  return out;
}

/**
 * Points along a quadratic Bezier curve from `a` (excluded) to `b` (included) with control `c`.
 *
 * @example
 * quadraticCurve([0, 0], [1, 0], [1, 1], 4); // 4 points ending at [1, 1]
 */
export function quadraticCurve(a: Point, c: Point, b: Point, segments: number): Point[] {
  const out: Point[] = [];
  for (let i = 1; i <= segments; i++) {
    const t = i / segments;
    const s = 1 - t;
    out.push([
      s * s * a[0] + 2 * s * t * c[0] + t * t * b[0],
      s * s * a[1] + 2 * s * t * c[1] + t * t * b[1],
    ]);
  }
  return out;
}

/**
 * Points on an axis-aligned ellipse (in whatever frame the caller works in), clockwise on screen,
 * starting at the top.
 *
 * @example
 * ellipsePoints([0, 0], 2, 1, 8); // 8 points, the first [0, -1]
 */
export function ellipsePoints(center: Point, radiusU: number, radiusV: number, segments: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < segments; i++) {
    const t = (2 * Math.PI * i) / segments;
    out.push([center[0] + radiusU * Math.sin(t), center[1] - radiusV * Math.cos(t)]);
  }
  return out;
}

/**
 * Convex hull (Andrew's monotone chain), counter-clockwise in a y-up frame (clockwise on screen).
 *
 * @example
 * convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2]]); // the four corners
 */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = points.map((p) => [p[0], p[1]] as Point).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const cross = (o: Point, a: Point, b: Point) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * Clips a polygon (open, any shape without self-intersections) to a convex polygon (open, as returned by
 * `convexHull`), Sutherland-Hodgman; consecutive duplicate vertices are dropped.
 *
 * @example
 * clipToConvex([[0, 0], [4, 0], [4, 4], [0, 4]], convexHull([[1, -1], [5, -1], [5, 5], [1, 5]])); // [1..4] x [0..4]
 */
export function clipToConvex(subject: readonly Point[], clip: readonly Point[]): Point[] {
  // orientation of the clip polygon decides which side of each edge is inside
  const sign = Math.sign(polygonArea(clip)) || 1;
  let out: Point[] = subject.map((p) => [p[0], p[1]] as Point);
  for (let i = 0; i < clip.length && out.length > 0; i++) {
    const a = clip[i];
    const b = clip[(i + 1) % clip.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    // signed distance from the edge; points within 1e-7 px of it count as inside (float noise)
    const side = (p: Point) => {
      const d = (sign * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]))) / len;
      return Math.abs(d) < 1e-7 ? 0 : d;
    };
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const cur = input[j];
      const prev = input[(j + input.length - 1) % input.length];
      const sc = side(cur);
      const sp = side(prev);
      if (sc >= 0) {
        if (sp < 0) out.push(intersect(prev, cur, sp, sc));
        out.push(cur);
      } else if (sp >= 0) out.push(intersect(prev, cur, sp, sc));
    }
  }
  return out.filter((p, i) => {
    const q = out[(i + out.length - 1) % out.length];
    return out.length === 1 || Math.hypot(p[0] - q[0], p[1] - q[1]) > 1e-9;
  });
}

function intersect(p: Point, q: Point, sp: number, sq: number): Point {
  const t = sp / (sp - sq);
  return [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
}
