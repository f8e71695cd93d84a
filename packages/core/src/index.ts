export * from './types.js';
export * from './diagnostics.js';
export * from './events.js';
export * from './util/result.js';
export * from './util/unreachable.js';
