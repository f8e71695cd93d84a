export * from './reporter.js';
export * from './format.js';
export * from './plain.js';
export * from './json.js';
export * from './github.js';
