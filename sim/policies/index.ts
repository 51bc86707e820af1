export * from './backoff.js';
export * from './retryBudget.js';
export * from './bulkhead.js';
export * from './slidingWindow.js';
export * from './circuitBreaker.js';
