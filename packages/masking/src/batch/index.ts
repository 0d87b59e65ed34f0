export * from './failures.js';
export * from './manifest.js';
export * from './manifest-stream.js';
export * from './mask-dataset.js';
export { maskPathFor, outputPathFor, type StageTimings } from './process-image.js';
export { imageSeed } from './seed.js';
export * from './shards.js';
export * from './stale-temps.js';
export * from './walk.js';
