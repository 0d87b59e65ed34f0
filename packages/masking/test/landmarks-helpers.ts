/** Shared test inputs for the landmark / verify / batch tests: real faces cropped from face-api's sample photos. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSampleFaceCrop } from '../../../test-support/sample-faces.js';

let written: Promise<string[]> | undefined;

/**
 * Eight face photos, written once per test process: five colour JPEGs (250 px, LFW-like framing) and three
 * one-channel greyscale PNGs (112 px, as AT&T and Yale B are), each a different person.
 */
export function faceFiles(): Promise<string[]> {
  written ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfr-masking-faces-'));
    const colour = [0, 7, 1, 10, 14].map((i) => writeSampleFaceCrop(i, join(dir, `face-${i}.jpg`)));
    const grey = [16, 19, 21].map((i) =>
      writeSampleFaceCrop(i, join(dir, `face-${i}.png`), { grey: true, size: 112 }),
    );
    return Promise.all([...colour, ...grey]);
  })();
  return written;
}

/** A flat grey RGB image. */
export const greyImage = (width = 160, height = 160) => ({
  data: new Uint8Array(width * height * 3).fill(128),
  width,
  height,
});
