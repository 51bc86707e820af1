import type * as D3 from 'd3';

/**
 * d3, inlined in the report by a script that runs before this page code and sets the global
 * `d3`. Every page module takes it from here, typed.
 */
export const d3: typeof D3 = (globalThis as unknown as { d3: typeof D3 }).d3;
