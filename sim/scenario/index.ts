export * from './types.js';
export * from './errors.js';
export * from './units.js';
export * from './limits.js';
export { loadScenarioFile, loadScenarioText, readScenarioText, type LoadOptions, type Overlay } from './load.js';
export { parsePatchPath, type Patch } from './variants.js';
