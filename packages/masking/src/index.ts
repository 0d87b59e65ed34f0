// geometry and rendering (mask outlines from 68 landmarks, drawn with @napi-rs/canvas)

// detection, verification and batch jobs
export * from './batch/index.js';
export * from './geometry/frame.js';
export * from './geometry/landmarks.js';
export * from './geometry/mask-polygon.js';
export * from './geometry/polygon.js';
export * from './landmarks/index.js';
export * from './mask-image.js';
export * from './render/brightness.js';
export * from './render/color.js';
export * from './render/render-mask.js';
export * from './render/texture.js';
export * from './render/types.js';
export * from './spec.js';
export * from './verify/index.js';
