export * from './folder.js';
export * from './resolve.js';
