// biome-ignore lint/suspicious/noExplicitAny: face-api ships its own bundled typings that do not match our tfjs-core
export type FaceApi = any;
