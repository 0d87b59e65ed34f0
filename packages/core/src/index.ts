export * from './backbones/index.js';
export * from './backend.js';
export * from './dataset/index.js';
export * from './image/index.js';
export * from './io/index.js';
export * from './kernels/index.js';
export * from './rng.js';
export * from './shard/index.js';
