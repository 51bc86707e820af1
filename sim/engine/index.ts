export * from './eventHeap.js';
export * from './simulator.js';
export * from './random.js';
export * from './distributions.js';
