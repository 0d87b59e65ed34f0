/**
 * Netpbm decoding (PGM/PPM, binary P5/P6 and ASCII P2/P3, plus bitmaps P1/P4): sharp builds usually
 * cannot read these, and face datasets (ORL/AT&T, Yale) ship them.
 */
import type { RgbPixels } from './types.js';

/** True when the bytes start with a netpbm magic number (P1-P6). */
export function isNetpbm(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 /* P */ && bytes[1] >= 0x31 && bytes[1] <= 0x36;
}

const isSpace = (c: number) =>
  c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;

/**
 * Decodes a netpbm image to 8-bit RGB (grey is expanded to three channels; 16-bit samples and any
 * maxval are rescaled to 0-255). Throws an Error describing the defect on malformed input.
 *
 * @example
 * const { data, width, height } = decodeNetpbm(await fs.readFile('face.pgm'));
 */
export function decodeNetpbm(bytes: Uint8Array): RgbPixels {
  if (!isNetpbm(bytes)) throw new Error('not a netpbm file (no P1-P6 magic number)');
  const kind = bytes[1] - 0x30;
  let pos = 2;
  // Header tokens are separated by whitespace; '#' starts a comment that runs to the end of the line.
  const nextToken = (): number => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos])) pos++;
      if (bytes[pos] === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) pos++;
    if (pos === start) throw new Error(`malformed netpbm header at byte ${start}`);
    return Number.parseInt(String.fromCharCode(...bytes.subarray(start, pos)), 10);
  };
  const width = nextToken();
  const height = nextToken();
  const bitmap = kind === 1 || kind === 4;
  const maxval = bitmap ? 1 : nextToken();
  if (width <= 0 || height <= 0) throw new Error(`invalid netpbm size ${width}x${height}`);
  if (maxval <= 0 || maxval > 65535) throw new Error(`invalid netpbm maxval ${maxval}`);
  const colour = kind === 3 || kind === 6;
  const samplesPerPixel = colour ? 3 : 1;
  const count = width * height * samplesPerPixel;
  const samples = new Uint16Array(count);

  if (kind === 1 || kind === 2 || kind === 3) {
    for (let i = 0; i < count; i++) {
      if (kind === 1) {
        // P1 digits may be run together ("0101"), so read one digit at a time
        while (pos < bytes.length && (isSpace(bytes[pos]) || bytes[pos] === 0x23)) {
          if (bytes[pos] === 0x23) while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
          else pos++;
        }
        if (pos >= bytes.length) throw new Error(`truncated netpbm data: ${i} of ${count} samples`);
        samples[i] = bytes[pos++] === 0x31 ? 0 : 1; // in P1, 1 is black
      } else {
        if (pos >= bytes.length) throw new Error(`truncated netpbm data: ${i} of ${count} samples`);
        samples[i] = nextToken();
      }
    }
  } else {
    pos++; // exactly one whitespace byte separates the header from binary data
    if (kind === 4) {
      const rowBytes = Math.ceil(width / 8);
      if (bytes.length - pos < rowBytes * height) {
        throw new Error(
          `truncated netpbm data: expected ${rowBytes * height} bytes, found ${bytes.length - pos}`,
        );
      }
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const bit = (bytes[pos + y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1;
          samples[y * width + x] = bit ? 0 : 1;
        }
      }
    } else {
      const wide = maxval > 255;
      const needed = count * (wide ? 2 : 1);
      if (bytes.length - pos < needed) {
        throw new Error(`truncated netpbm data: expected ${needed} bytes, found ${bytes.length - pos}`);
      }
      for (let i = 0; i < count; i++) {
        samples[i] = wide ? (bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1] : bytes[pos + i];
      }
    }
  }

  const data = new Uint8Array(width * height * 3);
  const scale = 255 / maxval;
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      const s = samples[p * samplesPerPixel + (colour ? c : 0)];
      data[p * 3 + c] = Math.min(255, Math.round(s * scale));
    }
  }
  return { data, width, height, channels: 3 };
}
