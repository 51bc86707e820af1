import type { Variant } from './types.js';

/**
 * The page's shared state: which variants are shown, the time window of the timelines, and
 * the time under the pointer (the crosshair all timelines follow). Charts subscribe to what
 * they draw; a change redraws only them.
 */
export type Topic = 'visibility' | 'window' | 'hover' | 'resize' | 'resolution';

type Listener = () => void;

const listeners: Record<Topic, Listener[]> = { visibility: [], window: [], hover: [], resize: [], resolution: [] };

export const state = {
  variants: [] as Variant[],
  visible: [] as boolean[],
  /** The whole simulated run, [0, duration]. */
  fullWindow: [0, 1] as [number, number],
  /** The time window the timelines show (zoomed by brushing). */
  window: [0, 1] as [number, number],
  /** The simulated time under the pointer, in ms, or null. */
  hoverMs: null as number | null,
  /** How many of the results' buckets each drawn point of a timeline averages (1: as recorded). */
  resolution: 1,
};

export function on(topic: Topic, fn: Listener): void {
  listeners[topic].push(fn);
}

export function emit(topic: Topic): void {
  for (const fn of listeners[topic]) fn();
}

export function visibleVariants(): Variant[] {
  return state.variants.filter((v) => state.visible[v.index]);
}

export function isVisible(index: number): boolean {
  return state.visible[index] === true;
}

/** Shows or hides a variant; the last visible one cannot be hidden (an empty report teaches nothing). */
export function setVisible(index: number, visible: boolean): void {
  if (!visible && visibleVariants().length <= 1 && isVisible(index)) return;
  state.visible[index] = visible;
  emit('visibility');
}

/** Shows only this variant, or everything again if it already is the only one. */
export function solo(index: number): void {
  const only = visibleVariants().length === 1 && isVisible(index);
  state.visible = state.variants.map((v) => only || v.index === index);
  emit('visibility');
}

export function setWindow(w: [number, number] | null): void {
  const next = w ?? state.fullWindow;
  if (next[0] === state.window[0] && next[1] === state.window[1]) return;
  state.window = [next[0], next[1]];
  emit('window');
}

export function setResolution(k: number): void {
  if (k === state.resolution) return;
  state.resolution = k;
  emit('resolution');
}

export function setHover(ms: number | null): void {
  if (ms === state.hoverMs) return;
  state.hoverMs = ms;
  emit('hover');
}
