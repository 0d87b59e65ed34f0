/**
 * Real faces every clone has: the six group photos that `@vladmandic/face-api` ships in `demo/` (22 faces, 22
 * different people). Tests that need real faces use these, so `pnpm test` runs with nothing beside the clone.
 *
 * The face boxes below were found once by the face68 landmarker (tiny detector, then SSD) on the original photos;
 * they are our own numbers, not data, and only place crops: tests never assert them.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// face-api and sharp are dependencies of the packages, not of the workspace root: resolve them from there
const fromMasking = createRequire(
  fileURLToPath(new URL('../packages/masking/package.json', import.meta.url)),
);
const fromCore = createRequire(fileURLToPath(new URL('../packages/core/package.json', import.meta.url)));
// biome-ignore lint/suspicious/noExplicitAny: sharp's CommonJS export, loaded lazily
const sharp = (): any => fromCore('sharp');

/** [x, y, width, height] of every face in sample1.jpg .. sample6.jpg, in the photos' own pixels. */
export const SAMPLE_FACE_BOXES: readonly (readonly [number, number, number, number])[][] = [
  [
    [1476, 199, 204, 242],
    [414, 354, 178, 241],
    [838, 420, 187, 229],
  ],
  [
    [1447, 153, 194, 243],
    [360, 125, 154, 261],
    [901, 219, 152, 234],
  ],
  [
    [1075, 214, 221, 300],
    [585, 329, 200, 272],
    [1514, 291, 170, 281],
  ],
  [
    [664, 52, 188, 259],
    [257, 185, 163, 246],
    [988, 180, 170, 228],
    [1276, 143, 147, 245],
  ],
  [
    [376, 859, 173, 302],
    [1406, 389, 166, 273],
    [597, 414, 168, 250],
    [1112, 198, 160, 237],
    [787, 108, 157, 213],
  ],
  [
    [1487, 262, 212, 297],
    [249, 467, 211, 292],
    [1180, 304, 189, 281],
    [680, 320, 161, 308],
  ],
];

/** The number of faces (and people) in the sample photos. */
export const SAMPLE_FACE_COUNT = SAMPLE_FACE_BOXES.flat().length;

/** Paths of face-api's `demo/sample1.jpg` .. `sample6.jpg` in node_modules. */
export function samplePhotoPaths(): string[] {
  const demo = join(dirname(fromMasking.resolve('@vladmandic/face-api/package.json')), 'demo');
  return [1, 2, 3, 4, 5, 6].map((i) => join(demo, `sample${i}.jpg`));
}

/** Each sample face as `{ photo, box }`, in a fixed order (photo by photo, as in SAMPLE_FACE_BOXES). */
export function sampleFaces(): { photo: string; box: readonly [number, number, number, number] }[] {
  const photos = samplePhotoPaths();
  return SAMPLE_FACE_BOXES.flatMap((boxes, i) => boxes.map((box) => ({ photo: photos[i], box })));
}

/** How one picture of a face is made from its box: a different framing, mirror and exposure per variant. */
interface CropVariant {
  /** Side of the square crop as a multiple of the box's longer side. */
  scale: number;
  /** Shift of the crop centre, as a fraction of the crop side (x, y). */
  shift: [number, number];
  mirror: boolean;
  brightness: number;
}

/** Variant 0 is LFW-like framing (the face about half the picture); the others stand in for other photos. */
const VARIANTS: readonly CropVariant[] = [
  { scale: 1.5, shift: [0, 0], mirror: false, brightness: 1 },
  { scale: 1.6, shift: [0.04, -0.03], mirror: true, brightness: 0.85 },
  { scale: 1.4, shift: [-0.05, 0.04], mirror: false, brightness: 1.12 },
  { scale: 1.7, shift: [0.02, 0.05], mirror: true, brightness: 1.05 },
];

export interface SampleCropOptions {
  /** Output side in pixels (default 250, as LFW). */
  size?: number;
  /** Variant 0..3 (default 0): framing, mirroring and exposure differ, see VARIANTS. */
  variant?: number;
  /** Write a one-channel greyscale PNG instead of a colour JPEG (as AT&T and Yale B are). */
  grey?: boolean;
  /** Crop side as a multiple of the face box's longer side, instead of the variant's (1.05: a tight crop). */
  scale?: number;
}

/** Writes the square crop of sample face `index` (0..21) to `path` (`.jpg` or `.png`). */
export async function writeSampleFaceCrop(index: number, path: string, options: SampleCropOptions = {}) {
  const { size = 250, variant = 0, grey = false } = options;
  const face = sampleFaces()[index];
  if (!face)
    throw new Error(`writeSampleFaceCrop: face ${index} does not exist (0..${SAMPLE_FACE_COUNT - 1})`);
  const v = VARIANTS[variant % VARIANTS.length];
  const [x, y, w, h] = face.box;
  const image = sharp()(face.photo);
  const { width, height } = await image.metadata();
  const side = Math.min(Math.round(Math.max(w, h) * (options.scale ?? v.scale)), width, height);
  const cx = x + w / 2 + v.shift[0] * side;
  const cy = y + h / 2 + v.shift[1] * side;
  // keep the square inside the photo (faces near an edge get an off-centre crop, not a black band)
  const left = Math.round(Math.min(Math.max(cx - side / 2, 0), width - side));
  const top = Math.round(Math.min(Math.max(cy - side / 2, 0), height - side));
  let out = image.extract({ left, top, width: side, height: side }).resize(size, size);
  if (v.mirror) out = out.flop();
  if (v.brightness !== 1) out = out.modulate({ brightness: v.brightness });
  mkdirSync(dirname(path), { recursive: true });
  if (grey) await out.greyscale().toColourspace('b-w').png().toFile(path);
  else await out.jpeg({ quality: 92 }).toFile(path);
  return path;
}

export interface SampleDatasetOptions extends Omit<SampleCropOptions, 'variant'> {
  /** Identities (faces) to include, from the first (default all 22). */
  identities?: number;
  /** Pictures per identity, variants 0..n-1 (default 3, at most 4). */
  perIdentity?: number;
}

/**
 * Writes a folder-per-identity dataset (`<root>/face-NN/K.jpg`, or `.png` with `grey`) of the sample faces:
 * `perIdentity` pictures of each person, differing in framing, mirroring and exposure. Different folders are
 * different people; pictures within a folder are the same person (the known answer tests check against).
 */
export async function writeSampleDataset(root: string, options: SampleDatasetOptions = {}): Promise<string> {
  const { identities = SAMPLE_FACE_COUNT, perIdentity = 3, ...crop } = options;
  if (perIdentity > VARIANTS.length)
    throw new Error(`writeSampleDataset: at most ${VARIANTS.length} per identity`);
  const ext = crop.grey ? 'png' : 'jpg';
  for (let i = 0; i < Math.min(identities, SAMPLE_FACE_COUNT); i++) {
    for (let k = 0; k < perIdentity; k++) {
      await writeSampleFaceCrop(i, join(root, sampleIdentity(i), `${k + 1}.${ext}`), { ...crop, variant: k });
    }
  }
  return root;
}

/** The folder name of sample face `index` in writeSampleDataset's layout: face-01 .. face-22. */
export const sampleIdentity = (index: number) => `face-${String(index + 1).padStart(2, '0')}`;
