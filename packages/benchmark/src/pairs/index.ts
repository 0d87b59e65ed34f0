export * from './generate.js';
export * from './lfw.js';
export * from './paper.js';
export * from './standard.js';
export * from './tsv.js';
export * from './types.js';
