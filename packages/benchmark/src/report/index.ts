export * from './csv.js';
export * from './html.js';
export * from './markdown.js';
export * from './thumbnails.js';
export * from './warnings.js';
export * from './write-report.js';
