/**
 * Contact sheet of every mask shape on real faces, for looking at (not a test).
 *
 * Finds 68 landmarks on six LFW faces, one Yale B face in side light and one AT&T face with face-api
 * (SSD MobileNet v1 + the 68-point net, wasm backend, weights from the npm package, loaded directly here so
 * the sheet checks the mask geometry independently of the package's landmarker), rotates two faces with
 * their landmarks to check that masks follow tilted faces, and writes one row per face: the face with its
 * landmarks, then every shape (paper types a-f, NIST wide/round at high/medium/low), then a few
 * colour/texture styles.
 *
 * Run from the repository root:
 *   node --import tsx packages/masking/scripts/contact-sheet.ts [out.png] [image ...]
 * Default output: .tmp/contact-sheet.png.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImagePixels, writeImage } from '@mfr/core/node';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { type MaskSpec, type Point, type RgbImage, renderMask } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const DATASETS = resolve(root, '../shared/datasets');
const DEFAULT_FACES = [
  'lfw/images/George_W_Bush/George_W_Bush_0001.jpg',
  'lfw/images/Serena_Williams/Serena_Williams_0001.jpg',
  'lfw/images/Yao_Ming/Yao_Ming_0001.jpg',
  'lfw/images/Tony_Blair/Tony_Blair_0001.jpg',
  'lfw/images/Colin_Powell/Colin_Powell_0001.jpg',
  'lfw/images/Venus_Williams/Venus_Williams_0001.jpg',
  // side light (brightness matching) and a small greyscale face
  'yaleb/yaleB01/yaleB01_P00A-035E+15.png',
  'att/s1/1.png',
];
/**
 * Degrees to rotate each face (image and landmarks together, after detection on the upright image, so the
 * check is of the mask geometry and not of the detector on tilted faces). The last two check tilt-following.
 */
const ROTATIONS = [0, 0, 0, 0, 22, -25, 0, 0];

const SHAPES: { title: string; spec: Partial<MaskSpec> }[] = [
  ...(['a', 'b', 'c', 'd', 'e', 'f'] as const).map((shape) => ({ title: shape, spec: { shape } })),
  ...(['wide', 'round'] as const).flatMap((shape) =>
    (['high', 'medium', 'low'] as const).map((coverage) => ({
      title: `${shape} ${coverage}`,
      spec: { shape, coverage, color: 'light-blue' },
    })),
  ),
  { title: 'pleats', spec: { shape: 'wide', coverage: 'high', color: 'light-blue', texture: 'pleats' } },
  { title: 'cloth', spec: { shape: 'round', color: 'black', texture: 'cloth' } },
  { title: 'pattern', spec: { shape: 'wide', color: 'random', texture: 'pattern' } },
  { title: 'no match', spec: { shape: 'a', matchBrightness: false } },
];

const TILE = 150;
const LABEL = 16;

type FaceApi = {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    tensor3d(data: Uint8Array, shape: [number, number, number], dtype: 'int32'): { dispose(): void };
  };
  nets: Record<string, { loadFromDisk(dir: string): Promise<void> }>;
  SsdMobilenetv1Options: new (o: { minConfidence: number }) => unknown;
  detectSingleFace(
    input: unknown,
    options: unknown,
  ): { withFaceLandmarks(): Promise<{ landmarks: { positions: { x: number; y: number }[] } } | undefined> };
};

async function loadFaceApi(): Promise<FaceApi> {
  const require = createRequire(join(root, 'packages/masking/package.json'));
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  const models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  return faceapi;
}

/** Rotates an RGB image about its centre (same size, black corners) with canvas. */
function rotateImage(img: RgbImage, degrees: number): RgbImage {
  if (degrees === 0) return img;
  const src = createCanvas(img.width, img.height);
  src.getContext('2d').putImageData(toImageData(src.getContext('2d'), img), 0, 0);
  const dst = createCanvas(img.width, img.height);
  const ctx = dst.getContext('2d');
  ctx.translate(img.width / 2, img.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(src, -img.width / 2, -img.height / 2);
  return fromRgba(ctx.getImageData(0, 0, img.width, img.height).data, img.width, img.height);
}

/** Scales an image by `k` and surrounds it with `pad` pixels of mid grey. */
function enlarge(img: RgbImage, k: number, pad: number): RgbImage {
  const src = createCanvas(img.width, img.height);
  src.getContext('2d').putImageData(toImageData(src.getContext('2d'), img), 0, 0);
  const dst = createCanvas(img.width * k + 2 * pad, img.height * k + 2 * pad);
  const ctx = dst.getContext('2d');
  ctx.fillStyle = '#808080';
  ctx.fillRect(0, 0, dst.width, dst.height);
  ctx.drawImage(src, pad, pad, img.width * k, img.height * k);
  return fromRgba(ctx.getImageData(0, 0, dst.width, dst.height).data, dst.width, dst.height);
}

/** Rotates points the way `rotateImage` rotates pixels. */
function rotatePoints(points: Point[], degrees: number, [cx, cy]: Point): Point[] {
  const a = (degrees * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  return points.map(([x, y]) => [cx + c * (x - cx) - s * (y - cy), cy + s * (x - cx) + c * (y - cy)]);
}

function toImageData(ctx: SKRSContext2D, img: RgbImage) {
  const id = ctx.createImageData(img.width, img.height);
  for (let i = 0; i < img.width * img.height; i++) {
    id.data[4 * i] = img.data[3 * i];
    id.data[4 * i + 1] = img.data[3 * i + 1];
    id.data[4 * i + 2] = img.data[3 * i + 2];
    id.data[4 * i + 3] = 255;
  }
  return id;
}

function fromRgba(rgba: Uint8ClampedArray, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    data[3 * i] = rgba[4 * i];
    data[3 * i + 1] = rgba[4 * i + 1];
    data[3 * i + 2] = rgba[4 * i + 2];
  }
  return { data, width, height };
}

async function main() {
  const [outArg, ...faceArgs] = process.argv.slice(2);
  const out = resolve(outArg ?? join(root, '.tmp/contact-sheet.png'));
  const faces = faceArgs.length > 0 ? faceArgs : DEFAULT_FACES.map((f) => join(DATASETS, f));
  const faceapi = await loadFaceApi();

  const cols = SHAPES.length + 1;
  const sheet = createCanvas(cols * TILE, faces.length * (TILE + LABEL) + LABEL);
  const ctx = sheet.getContext('2d');
  ctx.fillStyle = '#202020';
  ctx.fillRect(0, 0, sheet.width, sheet.height);
  ctx.fillStyle = '#ffffff';
  ctx.font = '12px sans-serif';
  ['landmarks', ...SHAPES.map((s) => s.title)].forEach((t, c) => {
    ctx.fillText(t, c * TILE + 4, 12);
  });

  for (const [row, file] of faces.entries()) {
    const original = await readImagePixels(file);
    const upright: RgbImage = { data: original.data, width: original.width, height: original.height };
    // the detector misses small, tightly cropped faces (AT&T, Yale B): enlarge and pad them, then map back
    const up = Math.max(1, Math.ceil(300 / Math.min(upright.width, upright.height)));
    const pad = up > 1 ? Math.round(0.4 * upright.width * up) : 0;
    const framed = up > 1 ? enlarge(upright, up, pad) : upright;
    const input = faceapi.tf.tensor3d(framed.data, [framed.height, framed.width, 3], 'int32');
    const found = await faceapi
      .detectSingleFace(input, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.2 }))
      .withFaceLandmarks();
    input.dispose();
    const y = LABEL + row * (TILE + LABEL);
    ctx.fillStyle = '#ffffff';
    ctx.fillText(`${file.split('/').pop()} rot ${ROTATIONS[row] ?? 0}`, 4, y + TILE + 12);
    if (!found) {
      console.warn(`no face found in ${file}`);
      continue;
    }
    const degrees = ROTATIONS[row] ?? 0;
    const image = rotateImage(upright, degrees);
    const landmarks = rotatePoints(
      found.landmarks.positions.map((p) => [(p.x - pad) / up, (p.y - pad) / up]),
      degrees,
      [upright.width / 2, upright.height / 2],
    );
    // the crop window: a square 1.6 x the landmarks' extent, centred on them
    const xs = landmarks.map((p) => p[0]);
    const ys = landmarks.map((p) => p[1]);
    const crop = 1.6 * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    const sx = (Math.max(...xs) + Math.min(...xs)) / 2 - crop / 2;
    const sy = (Math.max(...ys) + Math.min(...ys)) / 2 - crop / 2;
    const tile = (img: RgbImage, col: number, dots?: Point[]) => {
      const c = createCanvas(img.width, img.height);
      const cctx = c.getContext('2d');
      cctx.putImageData(toImageData(cctx, img), 0, 0);
      if (dots) {
        cctx.fillStyle = '#ff3030';
        for (const [px, py] of dots) cctx.fillRect(px - 1, py - 1, 2, 2);
      }
      ctx.drawImage(c, sx, sy, crop, crop, col * TILE, y, TILE, TILE);
    };
    tile(image, 0, landmarks);
    for (const [k, { spec }] of SHAPES.entries())
      tile(renderMask(image, landmarks, spec, { seed: row }).image, k + 1);
  }
  const rgba = ctx.getImageData(0, 0, sheet.width, sheet.height).data;
  await writeImage(out, { ...fromRgba(rgba, sheet.width, sheet.height), channels: 3 });
  console.log(`wrote ${out} (${faces.length} faces x ${SHAPES.length} masks)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
