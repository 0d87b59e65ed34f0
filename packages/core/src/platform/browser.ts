/** Browser side of the browser-safe entry: models load over HTTP, images decode through the page's canvas. */
import * as tf from '@tensorflow/tfjs-core';
import { decodeNetpbm, isNetpbm } from '../image/netpbm.js';
import { pageContext2D } from '../image/page-canvas.js';
import { rgbFromPixels } from '../image/rgb-from-pixels.js';
import { type DecodeOptions, imageError, type RgbPixels } from '../image/types.js';
import { type CorePlatform, fetchBytes, fetchText, modelJsonUrl } from './types.js';

// the source rectangle drawn into the target for each fit (centre crop for cover, letterbox for contain)
function placement(w: number, h: number, tw: number, th: number, fit: DecodeOptions['fit']) {
  if (fit === 'cover') {
    const s = Math.max(tw / w, th / h);
    const sw = tw / s;
    const sh = th / s;
    return { sx: (w - sw) / 2, sy: (h - sh) / 2, sw, sh, dx: 0, dy: 0, dw: tw, dh: th };
  }
  if (fit === 'contain') {
    const s = Math.min(tw / w, th / h);
    const dw = w * s;
    const dh = h * s;
    return { sx: 0, sy: 0, sw: w, sh: h, dx: (tw - dw) / 2, dy: (th - dh) / 2, dw, dh };
  }
  return { sx: 0, sy: 0, sw: w, sh: h, dx: 0, dy: 0, dw: tw, dh: th };
}

export const platform: CorePlatform = {
  ioHandler(location) {
    return tf.io.http(modelJsonUrl(location));
  },
  readText: fetchText,
  async decodeImage(bytes: Uint8Array, name: string, options: DecodeOptions): Promise<RgbPixels> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { imageOrientation: 'from-image' });
    } catch (error) {
      throw imageError(name, `unsupported or corrupt image: ${(error as Error).message}`);
    }
    const [height, width] = options.size ?? [bitmap.height, bitmap.width];
    const ctx = pageContext2D(width, height, `decodeImage "${name}"`);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, width, height);
    const p = placement(bitmap.width, bitmap.height, width, height, options.fit);
    ctx.drawImage(bitmap, p.sx, p.sy, p.sw, p.sh, p.dx, p.dy, p.dw, p.dh);
    bitmap.close();
    return rgbFromPixels(ctx.getImageData(0, 0, width, height));
  },
  async readImage(location) {
    const bytes = await fetchBytes(location);
    if (bytes.length === 0) throw imageError(location, 'empty file');
    return isNetpbm(bytes) ? decodeNetpbm(bytes) : this.decodeImage(bytes, location, {});
  },
};
