/**
 * Colours. Okabe & Ito's palette, designed to stay distinguishable with every common form of
 * colour blindness; each variant also gets a dash pattern, so lines stay apart in grey print.
 */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

/** Variant colours, in order: the baseline is blue. Yellow is left out (too light on white). */
const VARIANT_COLORS = [OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.skyBlue, OKABE_ITO.vermillion, OKABE_ITO.black];

/** Dash patterns, in the same order (solid for the baseline). */
const VARIANT_DASHES = ['', '7 3', '2 2', '9 3 2 3', '4 4', '1 3', '12 3'];

export function variantColor(i: number): string {
  return VARIANT_COLORS[i % VARIANT_COLORS.length];
}

export function variantDash(i: number): string {
  // Past the colours, cycle the dashes with an offset so colour+dash pairs stay unique.
  return VARIANT_DASHES[(i + Math.floor(i / VARIANT_COLORS.length)) % VARIANT_DASHES.length];
}

/** Operation outcomes. */
export const OUTCOME_COLORS = {
  ok: OKABE_ITO.green,
  degraded: OKABE_ITO.yellow,
  failed: OKABE_ITO.vermillion,
} as const;

/** Breaker states. */
export const BREAKER_COLORS = {
  closed: '#d9ecf5',
  halfOpen: OKABE_ITO.orange,
  open: OKABE_ITO.vermillion,
} as const;

/** Fault windows and the warm-up, shaded behind the timelines. */
export const FAULT_FILL = 'rgba(213, 94, 0, 0.13)';
export const FAULT_STROKE = 'rgba(213, 94, 0, 0.55)';
