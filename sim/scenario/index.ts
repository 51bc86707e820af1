export * from './types.js';
export * from './errors.js';
export * from './units.js';
export * from './limits.js';
export { loadScenarioFile, loadScenarioText } from './load.js';
