// The public surface of recwatch, grouped by folder. Anything not listed here is internal.

export * from './log/index.js';
export * from './signals/index.js';
