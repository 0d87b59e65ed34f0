import { MASK_TEXTURES, pointInPolygon, type RgbImage, renderMask } from '@mfr/masking';
import { describe, expect, it } from 'vitest';
import { frontalFace, MOUTH, type Pt, rotatePoints } from './fixtures/landmarks.js';

const W = 240;
const H = 240;
const face = frontalFace();

/** A deterministic test card: every pixel differs from its neighbours, so "untouched" is meaningful. */
function testCard(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = 3 * (y * W + x);
      data[i] = (x * 7 + y) & 255;
      data[i + 1] = (y * 5 + 3 * x) & 255;
      data[i + 2] = (x ^ y) & 255;
    }
  }
  return { data, width: W, height: H };
}

function grey(level: number): RgbImage {
  return { data: new Uint8Array(W * H * 3).fill(level), width: W, height: H };
}

/** Distance from a point to the nearest edge of a closed polygon. */
function edgeDistance(p: Pt, poly: readonly (readonly [number, number])[]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < poly.length; i++) {
    const [ax, ay] = poly[i];
    const [bx, by] = poly[i + 1];
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy));
  }
  return best;
}

describe('renderMask', () => {
  it('fills the interior with the colour, leaves pixels outside untouched, and the mask matches the polygon', () => {
    const input = testCard();
    const before = new Uint8Array(input.data);
    const res = renderMask(input, face, {
      shape: 'wide',
      coverage: 'high',
      color: '#336699',
      matchBrightness: false,
    });
    expect(input.data).toEqual(before); // the input is not modified
    expect(res.color).toBe('#336699');
    let inside = 0;
    let outside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const c: Pt = [x + 0.5, y + 0.5];
        const d = edgeDistance(c, res.polygon);
        if (d < 1.5) continue; // anti-aliased border
        const i = y * W + x;
        const px = [...res.image.data.subarray(3 * i, 3 * i + 3)];
        if (pointInPolygon(c, res.polygon)) {
          inside++;
          expect(px).toEqual([0x33, 0x66, 0x99]);
          expect(res.mask.data[i]).toBe(255);
        } else {
          outside++;
          expect(px).toEqual([...before.subarray(3 * i, 3 * i + 3)]);
          expect(res.mask.data[i]).toBe(0);
        }
      }
    }
    expect(inside).toBeGreaterThan(5000);
    expect(outside).toBeGreaterThan(20000);
    // the mouth is covered in the binary mask
    for (const j of MOUTH)
      expect(res.mask.data[Math.floor(face[j][1]) * W + Math.floor(face[j][0])]).toBe(255);
  });

  it('is deterministic: the same seed and spec give byte-identical output for every texture', () => {
    for (const texture of MASK_TEXTURES) {
      const spec = { shape: 'round', color: 'random', texture } as const;
      const a = renderMask(testCard(), face, spec, { seed: 11 });
      const b = renderMask(testCard(), face, spec, { seed: 11 });
      expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data)), texture).toBe(true);
      expect(Buffer.from(a.mask.data).equals(Buffer.from(b.mask.data))).toBe(true);
      expect(a.color).toBe(b.color);
    }
    const c1 = renderMask(testCard(), face, { color: 'random' }, { seed: 1 }).color;
    const c2 = renderMask(testCard(), face, { color: 'random' }, { seed: 2 }).color;
    expect(c1).not.toBe(c2);
  });

  it('textures vary inside the mask; none is flat', () => {
    for (const texture of MASK_TEXTURES) {
      const res = renderMask(testCard(), face, {
        shape: 'b',
        color: 'light-blue',
        texture,
        matchBrightness: false,
      });
      const values = new Set<number>();
      // interior pixels only (all four neighbours inside too): the border is blended with the image
      const m = res.mask.data;
      for (let i = W; i < W * H - W; i++) {
        if (m[i] && m[i - 1] && m[i + 1] && m[i - W] && m[i + W]) values.add(res.image.data[3 * i]);
      }
      if (texture === 'none') expect([...values]).toEqual([0xa8]);
      else expect(values.size, texture).toBeGreaterThan(8);
    }
  });

  it('textures turn with the face: a face rotated 90 degrees gets the rotated rendering', () => {
    for (const texture of ['pleats', 'cloth'] as const) {
      const spec = { shape: 'wide', texture, color: 'white' } as const;
      const upright = renderMask(grey(140), face, spec, { seed: 3 });
      const turned = renderMask(grey(140), rotatePoints(face, 90, [120, 120]), spec, { seed: 3 });
      // pixel (x, y) maps to (239 - y, x) under this rotation
      let diff = 0;
      let n = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const i = y * W + x;
          const j = x * W + (W - 1 - y);
          if (upright.mask.data[i] !== 255 || turned.mask.data[j] !== 255) continue;
          diff += Math.abs(upright.image.data[3 * i] - turned.image.data[3 * j]);
          n++;
        }
      }
      expect(n).toBeGreaterThan(5000);
      expect(diff / n, texture).toBeLessThan(4);
    }
  });

  it("a greyscale photo gets a grey mask of the colour's luma", () => {
    const res = renderMask(grey(150), face, { color: 'light-blue', texture: 'pleats' });
    for (let i = 0; i < W * H; i++) {
      expect(res.image.data[3 * i + 1]).toBe(res.image.data[3 * i]);
      expect(res.image.data[3 * i + 2]).toBe(res.image.data[3 * i]);
    }
    const flat = renderMask(grey(150), face, { color: 'light-blue', matchBrightness: false });
    const at = 3 * (Math.round(face[57][1]) * W + Math.round(face[57][0]));
    expect(flat.image.data[at]).toBe(198); // 0.299 * 168 + 0.587 * 207 + 0.114 * 230
  });

  it('binary mask area matches the polygon area', () => {
    const res = renderMask(testCard(), face, { shape: 'd' });
    let count = 0;
    for (const v of res.mask.data) if (v === 255) count++;
    let area = 0;
    const p = res.polygon;
    for (let i = 0; i + 1 < p.length; i++) area += p[i][0] * p[i + 1][1] - p[i + 1][0] * p[i][1];
    expect(Math.abs(count - Math.abs(area / 2)) / Math.abs(area / 2)).toBeLessThan(0.02);
  });

  it('matches brightness: a white mask stays white on well-lit skin and darkens on dim skin', () => {
    const bright = renderMask(grey(170), face, { color: 'white' });
    const dim = renderMask(grey(40), face, { color: 'white' });
    const off = renderMask(grey(40), face, { color: 'white', matchBrightness: false });
    const at = (r: ReturnType<typeof renderMask>) =>
      r.image.data[3 * (Math.round(face[57][1]) * W + Math.round(face[57][0]))];
    expect(at(bright)).toBeGreaterThanOrEqual(250);
    expect(at(off)).toBe(255);
    expect(at(dim)).toBeGreaterThan(50);
    expect(at(dim)).toBeLessThan(130);
  });

  it('follows side light: a mask on a face lit from its left is darker on the shadow side', () => {
    const img = grey(0);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        img.data.fill(40 + Math.round((x / W) * 180), 3 * (y * W + x), 3 * (y * W + x) + 3);
    const res = renderMask(img, face, { shape: 'wide', color: 'white' });
    const row = Math.round(face[57][1]);
    const left = res.image.data[3 * (row * W + Math.round(face[5][0] + 12))];
    const right = res.image.data[3 * (row * W + Math.round(face[11][0] - 12))];
    expect(right).toBeGreaterThan(left + 20);
  });

  it('draws nothing when the face lies outside the image', () => {
    const away = face.map(([x, y]) => [x - 1000, y] as Pt);
    const input = testCard();
    const res = renderMask(input, away, { shape: 'wide' });
    expect(Buffer.from(res.image.data).equals(Buffer.from(input.data))).toBe(true);
    expect(res.mask.data.every((v) => v === 0)).toBe(true);
  });

  it('clips a face partly outside the image at the border', () => {
    const half = face.map(([x, y]) => [x + 130, y] as Pt);
    const res = renderMask(testCard(), half, { shape: 'round', color: 'black', matchBrightness: false });
    let onRightEdge = 0;
    for (let y = 0; y < H; y++) if (res.mask.data[y * W + W - 1] === 255) onRightEdge++;
    expect(onRightEdge).toBeGreaterThan(40);
  });

  it('rejects bad input with clear errors', () => {
    expect(() => renderMask(testCard(), face.slice(0, 67), {})).toThrow(/expected 68 landmarks.*got 67/);
    expect(() => renderMask({ data: new Uint8Array(10), width: W, height: H }, face, {})).toThrow(
      /RGB image needs 172800/,
    );
    expect(() => renderMask(testCard(), face, { shape: 'x' as never })).toThrow(/shape must be one of/);
  });
});
