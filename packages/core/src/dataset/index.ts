export * from './holdout.js';
export * from './natural_compare.js';
export * from './query.js';
export * from './scan.js';
export * from './split.js';
export * from './stream.js';
export * from './types.js';
