export * from './align.js';
export * from './batch.js';
export * from './decode.js';
export * from './netpbm.js';
export * from './read.js';
export * from './resize.js';
export * from './types.js';
export * from './write.js';
