import { normalCdf, quantileOf, type Dist } from '../engine/distributions.js';
import type { Endpoint, EndpointRef, Scenario, Service, Step } from '../scenario/types.js';

/**
 * Response-time distributions for `faultline explain`: the tail of a call to an endpoint that
 * makes calls of its own, which the closed forms of predict.ts cannot give — a sum (link, work,
 * its calls one after the other), a maximum (parallel branches) and a mixture (a request that
 * fails after its work skips its steps). Same first-order model as the other predictions: no
 * queueing, first attempts, nothing failing but error rates.
 *
 * Why a grid, not sampling: the predictions are pure functions of the scenario. Each
 * distribution is its probability mass on GRID cells of one width, plus the mass beyond the
 * last cell; sums are convolutions. The width comes from an upper bound on every response
 * time (sums of 99.99th percentiles), so tails are read to about 1/GRID of that range.
 */
const GRID = 2048;

/**
 * P(X ≤ x): in closed form where there is one, else (percentiles) by bisection on the quantile
 * function; a mixture's is its parts', weighted.
 */
export function cdfAt(d: Dist, x: number): number {
  if (x < 0) return 0;
  switch (d.kind) {
    case 'mix': {
      const total = d.parts.reduce((sum, p) => sum + p.weight, 0);
      return d.parts.reduce((sum, p) => sum + (p.weight / total) * cdfAt(p.dist, x), 0);
    }
    case 'constant':
      return x >= d.value ? 1 : 0;
    case 'uniform':
      return d.max > d.min ? Math.min(1, Math.max(0, (x - d.min) / (d.max - d.min))) : x >= d.min ? 1 : 0;
    case 'exponential':
      return d.mean > 0 ? 1 - Math.exp(-x / d.mean) : 1;
    case 'lognormal':
      if (d.sigma > 0 && x > 0) return normalCdf(Math.log(x / d.median) / d.sigma);
      break;
    case 'normal':
      if (d.sd > 0) {
        // Truncated at 0.
        const lo = normalCdf(-d.mean / d.sd);
        return Math.max(0, (normalCdf((x - d.mean) / d.sd) - lo) / (1 - lo));
      }
      break;
    case 'percentiles':
      break;
  }
  if (quantileOf(d, 0)! > x) return 0;
  if ((quantileOf(d, 1) ?? Infinity) <= x) return 1;
  let lo = 0; // quantile(lo) ≤ x
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (quantileOf(d, mid)! <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** P(X > t). */
export function tailBeyond(d: Dist, t: number): number {
  return 1 - cdfAt(d, t);
}

/** The p-quantile, a mixture's by bisection on its CDF. */
function quantile(d: Dist, p: number): number {
  const q = quantileOf(d, p);
  if (q !== undefined) return q;
  let lo = 0;
  let hi = 1;
  while (cdfAt(d, hi) < p) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (cdfAt(d, mid) < p) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * A distribution on a lattice of step w, after a fixed shift: X = offset + L, where
 * mass[i] = P(L ∈ ((i − ½)·w, (i + ½)·w]) stands for L = i·w (cell 0 holds L = 0 and up to
 * w/2) and the rest, P(L > (GRID − ½)·w), is beyond the last cell. Constants (a fixed work
 * time, a fixed link latency) are shifts, so they add exactly; on the lattice a sum of cells
 * is a cell, so convolutions add no bias either. Only a maximum or a mixture of two
 * differently shifted times rounds their difference to a cell.
 */
export class GridDist {
  constructor(
    readonly cellMs: number,
    readonly mass: Float64Array,
    readonly offsetMs = 0,
  ) {}

  get beyond(): number {
    let inGrid = 0;
    for (const m of this.mass) inGrid += m;
    return Math.max(0, 1 - inGrid);
  }

  static of(d: Dist, cellMs: number): GridDist {
    const mass = new Float64Array(GRID);
    if (d.kind === 'constant') {
      mass[0] = 1;
      return new GridDist(cellMs, mass, d.value);
    }
    let below = 0; // P(X < 0)
    for (let i = 0; i < GRID; i++) {
      const f = cdfAt(d, (i + 0.5) * cellMs);
      mass[i] = f - below;
      below = f;
    }
    return new GridDist(cellMs, mass);
  }

  /** X + Y, independent: the shifts add, the lattices convolve. */
  plus(o: GridDist): GridDist {
    const a = this.mass;
    const b = o.mass;
    const out = new Float64Array(GRID);
    // Most of the grid is empty (it spans the longest response time): loop over b's support only.
    let first = 0;
    while (first < GRID && b[first] === 0) first++;
    let last = GRID - 1;
    while (last >= first && b[last] === 0) last--;
    for (let i = 0; i < GRID; i++) {
      const ai = a[i];
      if (ai === 0) continue;
      const end = Math.min(last, GRID - 1 - i);
      for (let j = first; j <= end; j++) out[i + j] += ai * b[j];
    }
    return new GridDist(this.cellMs, out, this.offsetMs + o.offsetMs);
  }

  /** The same distribution with a smaller shift (`offsetMs` ≤ this one's): its lattice moves up by whole cells. */
  private shiftedTo(offsetMs: number): GridDist {
    const k = Math.round((this.offsetMs - offsetMs) / this.cellMs);
    if (k === 0) return new GridDist(this.cellMs, this.mass, offsetMs);
    const out = new Float64Array(GRID);
    out.set(this.mass.subarray(0, Math.max(0, GRID - k)), Math.min(k, GRID)); // what moves past the last cell is beyond
    return new GridDist(this.cellMs, out, offsetMs);
  }

  /** max(X, Y), independent: the CDFs multiply (at the cells' upper edges). */
  max(o: GridDist): GridDist {
    const base = Math.min(this.offsetMs, o.offsetMs);
    const a = this.shiftedTo(base).mass;
    const b = o.shiftedTo(base).mass;
    const out = new Float64Array(GRID);
    let fa = 0;
    let fb = 0;
    let below = 0;
    for (let i = 0; i < GRID; i++) {
      fa += a[i];
      fb += b[i];
      out[i] = fa * fb - below;
      below = fa * fb;
    }
    return new GridDist(this.cellMs, out, base);
  }

  /** With probability p this, else o. */
  mixedWith(p: number, o: GridDist): GridDist {
    const base = Math.min(this.offsetMs, o.offsetMs);
    const a = this.shiftedTo(base).mass;
    const b = o.shiftedTo(base).mass;
    return new GridDist(
      this.cellMs,
      a.map((m, i) => p * m + (1 - p) * b[i]),
      base,
    );
  }

  /** min(X, t): what is longer ends at t (a timeout). */
  cappedAt(t: number): GridDist {
    if (t <= this.offsetMs) {
      const at = new Float64Array(GRID);
      at[0] = 1;
      return new GridDist(this.cellMs, at, t);
    }
    const k = Math.min(GRID - 1, Math.round((t - this.offsetMs) / this.cellMs));
    const out = this.mass.slice();
    let above = this.beyond;
    for (let i = k + 1; i < GRID; i++) {
      above += out[i];
      out[i] = 0;
    }
    out[k] += above;
    return new GridDist(this.cellMs, out, this.offsetMs);
  }

  /** P(X > t), a cell's mass read as spread evenly over its width. */
  tail(t: number): number {
    const pos = (t - this.offsetMs) / this.cellMs + 0.5; // cell k spans [k, k + 1) in these units
    if (pos < 0) return 1;
    if (pos >= GRID) return this.beyond;
    const k = Math.floor(pos);
    let above = this.beyond + this.mass[k] * (k + 1 - pos);
    for (let i = k + 1; i < GRID; i++) above += this.mass[i];
    return Math.min(1, Math.max(0, above));
  }
}

type Located = { svc: Service; ep: Endpoint };

/**
 * The response time of a call from `caller` to each endpoint, as the caller sees it: the link
 * there, the endpoint's work, then — unless it failed (errorRate) — its steps, each call
 * capped at its timeout, and the link back. Built on demand and kept per (caller, endpoint).
 */
export class ResponseTimes {
  private readonly endpoints = new Map<string, Located>();
  private readonly serving = new Map<string, GridDist>();
  private readonly cellMs: number;

  constructor(private readonly s: Scenario) {
    for (const svc of s.services) for (const ep of svc.endpoints) this.endpoints.set(`${svc.name}.${ep.name}`, { svc, ep });
    this.cellMs = this.upperBoundMs() / GRID;
  }

  /** The response time of one attempt from `caller` to `target` (uncapped: its own timeout is the caller's business). */
  of(caller: string, target: EndpointRef): GridDist {
    const link = this.link(caller, target.service);
    return this.grid(link).plus(this.serve(`${target.service}.${target.endpoint}`)).plus(this.grid(link));
  }

  private link(from: string, to: string): Dist {
    return (this.s.links.pairs.get(`${from}->${to}`) ?? this.s.links.default).latency;
  }

  private readonly grids = new Map<Dist, GridDist>();

  private grid(d: Dist): GridDist {
    let g = this.grids.get(d);
    if (!g) {
      g = GridDist.of(d, this.cellMs);
      this.grids.set(d, g);
    }
    return g;
  }

  /** From arrival to answer at the endpoint: work, then its steps unless it failed. */
  private serve(key: string): GridDist {
    const known = this.serving.get(key);
    if (known) return known;
    const at = this.endpoints.get(key)!;
    const work = this.grid(at.ep.work);
    let steps: GridDist | null = null;
    for (const st of at.ep.steps) {
      const t = this.step(st, at.svc.name);
      steps = steps === null ? t : steps.plus(t);
    }
    const r = steps === null ? work : work.plus(steps).mixedWith(1 - at.ep.errorRate, work);
    this.serving.set(key, r);
    return r;
  }

  private step(st: Step, caller: string): GridDist {
    switch (st.kind) {
      case 'call': {
        const one = st.timeoutMs === null ? this.of(caller, st.target) : this.of(caller, st.target).cappedAt(st.timeoutMs);
        let all = one;
        for (let i = 1; i < st.times; i++) all = all.plus(one);
        return all;
      }
      case 'publish': {
        const link = this.grid(this.link(caller, st.queue));
        const ack = link.plus(link);
        return st.timeoutMs === null ? ack : ack.cappedAt(st.timeoutMs);
      }
      case 'parallel':
        return st.steps.map((b) => this.step(b, caller)).reduce((m, b) => m.max(b));
    }
  }

  /**
   * A bound on every response time, from 99.99th percentiles: work plus steps (calls capped at
   * their timeouts, parallel branches their slowest), links both ways; twice that, for room.
   */
  private upperBoundMs(): number {
    const Q = 0.9999;
    const memo = new Map<string, number>();
    const serve = (key: string): number => {
      const known = memo.get(key);
      if (known !== undefined) return known;
      const at = this.endpoints.get(key);
      if (!at) return 0;
      memo.set(key, 0); // sync cycles are rejected by the loader; guard anyway
      const ms = quantile(at.ep.work, Q) + at.ep.steps.reduce((sum, st) => sum + step(st, at.svc.name), 0);
      memo.set(key, ms);
      return ms;
    };
    const call = (caller: string, target: EndpointRef) => 2 * quantile(this.link(caller, target.service), Q) + serve(`${target.service}.${target.endpoint}`);
    const step = (st: Step, caller: string): number => {
      switch (st.kind) {
        case 'call':
          return st.times * Math.min(call(caller, st.target), st.timeoutMs ?? Infinity);
        case 'publish':
          return Math.min(2 * quantile(this.link(caller, st.queue), Q), st.timeoutMs ?? Infinity);
        case 'parallel':
          return st.steps.reduce((m, b) => Math.max(m, step(b, caller)), 0);
      }
    };
    let top = 0;
    for (const t of this.s.traffic) top = Math.max(top, call(t.name, t.target));
    for (const { svc, ep } of this.endpoints.values()) for (const st of ep.steps) top = Math.max(top, step(st, svc.name));
    return Math.max(2 * top, 1e-3);
  }
}
