import { createFace68Landmarker, type Face68Options } from './face68.js';
import { createFaceMeshLandmarker, type FaceMeshOptions } from './facemesh.js';
import type { Landmarker, LandmarkerKind } from './types.js';

/** Options of {@link createLandmarker}: the kind plus that landmarker's own options. */
export type LandmarkerOptions =
  | ({ kind?: 'face68' } & Face68Options)
  | ({ kind: 'facemesh' } & FaceMeshOptions);

/** The landmarker kinds `createLandmarker` accepts. */
export const LANDMARKER_KINDS: readonly LandmarkerKind[] = Object.freeze(['face68', 'facemesh']);

/**
 * Loads a face detector + 68-point landmarker from the model files in node_modules (nothing is downloaded).
 * `face68` (default): face-api tiny/SSD detectors + 68-point net, fast on any backend.
 * `facemesh`: MediaPipe FaceMesh with the full-range detector, 468 points mapped to 68 (wasm/cpu only).
 *
 * @example
 * await initBackend();
 * const landmarker = await createLandmarker({ kind: 'face68' });
 * const faces = await landmarker.detect(await readImagePixels('face.jpg')); // [{ box, score, landmarks68 }]
 * landmarker.dispose();
 */
export async function createLandmarker(options: LandmarkerOptions = {}): Promise<Landmarker> {
  const kind = options.kind ?? 'face68';
  if (kind === 'face68') return createFace68Landmarker(options as Face68Options);
  if (kind === 'facemesh') return createFaceMeshLandmarker(options as FaceMeshOptions);
  throw new Error(
    `createLandmarker: unknown kind ${JSON.stringify(kind)}; use one of ${LANDMARKER_KINDS.join(', ')}`,
  );
}
