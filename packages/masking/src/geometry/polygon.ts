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
