import type { Rng } from '@mfr/core';

import type { FaceFrame } from '../geometry/frame.js';
import type { MaskTexture } from '../spec.js';
import type { MaskContext2D } from './canvas.js';
import { hslToRgb, type Rgb, rgbToHex } from './color.js';

/** The mask's extent in the face frame (u along the eyes, v towards the mouth), in pixels. */
export interface FaceBox {
  readonly u0: number;
  readonly u1: number;
  readonly v0: number;
  readonly v1: number;
}

const rgba = (rgb: Rgb, a: number) => `rgba(${rgb[0]},${rgb[1]},${rgb[2]},${a})`;

/**
 * Paints the mask fabric over the whole layer (whose top-left corner is image pixel `offset`): the base colour, then the texture drawn in the face frame
 * (so pleats and weave turn with the face). Everything painted is opaque; the caller cuts the layer to
 * the outline afterwards. Textures:
 * - `none`: the flat base colour.
 * - `pleats`: three horizontal folds across the middle of the mask, each a shadow under the fold line and a
 *   highlight above it, plus darkening towards the sides where the fabric turns away.
 * - `cloth`: a plain weave; cells of about interocular/22 alternate warp-over and weft-over, each thread
 *   with its own seeded brightness.
 * - `pattern`: a print in a seeded contrasting colour: dots, diagonal stripes or a tartan check (seeded).
 *
 * @example
 * paintFabric(ctx, 'pleats', [255, 255, 255], frame, box, rng.fork('texture'));
 */
export function paintFabric(
  ctx: MaskContext2D,
  texture: MaskTexture,
  base: Rgb,
  frame: FaceFrame,
  box: FaceBox,
  rng: Rng,
  offset: readonly [number, number] = [0, 0],
): void {
  const { width, height } = ctx.canvas;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = rgbToHex(base);
  ctx.fillRect(0, 0, width, height);
  if (texture === 'none') return;

  // from here on draw in face coordinates
  const [ux, uy] = frame.uAxis;
  const [vx, vy] = frame.vAxis;
  ctx.setTransform(ux, uy, vx, vy, frame.origin[0] - offset[0], frame.origin[1] - offset[1]);
  const iod = frame.interocular;
  const pad = 0.2 * iod;
  const u0 = box.u0 - pad;
  const u1 = box.u1 + pad;
  const v0 = box.v0 - pad;
  const v1 = box.v1 + pad;
  const h = box.v1 - box.v0;
  const cu = (box.u0 + box.u1) / 2;
  const halfW = Math.max(1, (box.u1 - box.u0) / 2);

  if (texture === 'pleats') {
    // side shading: the fabric bends away from the light towards the cheeks
    const side = ctx.createLinearGradient(cu - halfW, 0, cu + halfW, 0);
    side.addColorStop(0, 'rgba(0,0,0,0.22)');
    side.addColorStop(0.25, 'rgba(0,0,0,0.04)');
    side.addColorStop(0.5, 'rgba(0,0,0,0)');
    side.addColorStop(0.75, 'rgba(0,0,0,0.04)');
    side.addColorStop(1, 'rgba(0,0,0,0.22)');
    ctx.fillStyle = side;
    ctx.fillRect(u0, v0, u1 - u0, v1 - v0);
    const depth = rng.range(0.22, 0.32);
    for (const f of [0.38, 0.55, 0.72]) {
      const fold = box.v0 + f * h + rng.range(-0.02, 0.02) * h;
      const w = 0.07 * h;
      const g = ctx.createLinearGradient(0, fold - w, 0, fold + w);
      g.addColorStop(0, 'rgba(255,255,255,0)');
      g.addColorStop(0.45, 'rgba(255,255,255,0.16)');
      g.addColorStop(0.5, `rgba(0,0,0,${depth})`);
      g.addColorStop(0.75, `rgba(0,0,0,${depth * 0.35})`);
      g.addColorStop(1, 'rgba(0,0,0,0)');
      ctx.fillStyle = g;
      ctx.fillRect(u0, fold - w, u1 - u0, 2 * w);
    }
    return;
  }

  if (texture === 'cloth') {
    const cell = Math.max(1.5, iod / 22);
    const cols = Math.ceil((u1 - u0) / cell);
    const rows = Math.ceil((v1 - v0) / cell);
    const colTone = Array.from({ length: cols }, () => rng.range(-0.06, 0.06));
    const rowTone = Array.from({ length: rows }, () => rng.range(-0.06, 0.06));
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        // warp over weft on one diagonal parity, weft over warp on the other
        const warp = (i + j) % 2 === 0;
        const tone = warp ? 0.05 + colTone[i] : -0.07 + rowTone[j];
        ctx.fillStyle = tone >= 0 ? `rgba(255,255,255,${tone})` : `rgba(0,0,0,${-tone})`;
        ctx.fillRect(u0 + i * cell, v0 + j * cell, cell, cell);
        // the gap between threads
        ctx.fillStyle = 'rgba(0,0,0,0.12)';
        if (warp) ctx.fillRect(u0 + i * cell, v0 + j * cell, cell * 0.12, cell);
        else ctx.fillRect(u0 + i * cell, v0 + j * cell, cell, cell * 0.12);
      }
    }
    return;
  }

  // pattern: a print in a colour far from the base
  const baseLight = (Math.max(...base) + Math.min(...base)) / 510;
  const ink = hslToRgb(
    rng.range(0, 360),
    rng.range(0.4, 0.8),
    baseLight > 0.5 ? rng.range(0.2, 0.4) : rng.range(0.65, 0.85),
  );
  const kind = rng.pick(['dots', 'stripes', 'check'] as const);
  const step = iod * rng.range(0.16, 0.26);
  if (kind === 'dots') {
    ctx.fillStyle = rgba(ink, 0.9);
    const r = step * 0.22;
    for (let j = 0, v = v0; v < v1; j++, v += step) {
      for (let u = u0 + (j % 2) * (step / 2); u < u1; u += step) {
        ctx.beginPath();
        ctx.arc(u, v, r, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  } else if (kind === 'stripes') {
    ctx.strokeStyle = rgba(ink, 0.85);
    ctx.lineWidth = step * 0.3;
    const span = v1 - v0;
    for (let u = u0 - span; u < u1; u += step) {
      ctx.beginPath();
      ctx.moveTo(u, v0);
      ctx.lineTo(u + span, v1);
      ctx.stroke();
    }
  } else {
    ctx.fillStyle = rgba(ink, 0.35);
    for (let u = u0; u < u1; u += step * 2) ctx.fillRect(u, v0, step * 0.7, v1 - v0);
    for (let v = v0; v < v1; v += step * 2) ctx.fillRect(u0, v, u1 - u0, step * 0.7);
  }
}
