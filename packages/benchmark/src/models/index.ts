export * from './baselines.js';
export * from './checkpoint.js';
export * from './create.js';
export * from './face-analysis.js';
export * from './face-api.js';
export * from './parse-spec.js';
export * from './similarity.js';
export * from './types.js';
