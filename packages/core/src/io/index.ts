export * from './atomic.js';
export * from './cache-shards.js';
export * from './file_system_handler.js';
export * from './models.js';
export * from './weight_bytes.js';
