import { cdfAt, meanOf, quantileOf, type Dist } from '../engine/distributions.js';
import type { EndpointRef, HedgePolicy, Scenario, Step } from '../scenario/types.js';
import { ScenarioIndex } from './scenarioIndex.js';

/**
 * Response-time distributions for `faultline explain`: an operation's latency, and the tail of
 * a call to an endpoint that makes calls of its own, which the closed forms of predict.ts cannot
 * give — a sum (link, work, its calls one after the other), a maximum (parallel branches), a
 * mixture (a request that fails after its work skips its steps), the first of hedged attempts,
 * timeouts. Same first-order model as the other predictions: no queueing, no retries.
 *
 * Why a grid, not sampling: the predictions are pure functions of the scenario. Each
 * distribution is its probability mass on GRID cells of one width, plus the mass beyond the
 * last cell; sums are convolutions. Each question gets a grid spanning twice its call's
 * 99.99th-percentile bound, so tails are read to about 1/GRID of that range.
 */
const GRID = 2048;

/**
 * Multiply-adds the tails of one scenario may take (a convolution of two full grids is GRID²,
 * a few ms; typical call trees need a few million in all). Beyond it (huge trees, `times` in
 * the hundreds at every level) the tails are not computed — explain says so — rather than
 * keeping a teaching command busy for minutes.
 */
const MAX_WORK = 300_000_000;

/** The work budget ran out. */
class TooLarge extends Error {}

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
    /**
     * Its probability: 1 for a distribution; less for the successful part of one (answers that
     * failed or timed out left out), whose percentiles are then conditional on success.
     */
    readonly total = 1,
  ) {}

  /** The first and the last cell with mass (first > last when there is none). */
  private range(): [first: number, last: number] {
    let first = 0;
    while (first < GRID && this.mass[first] === 0) first++;
    let last = GRID - 1;
    while (last >= first && this.mass[last] === 0) last--;
    return [first, last];
  }

  /** Cells from the first to the last with mass: what a convolution with this one costs per cell of the other. */
  get support(): number {
    const [first, last] = this.range();
    return Math.max(1, last - first + 1);
  }

  get beyond(): number {
    let inGrid = 0;
    for (const m of this.mass) inGrid += m;
    return Math.max(0, this.total - inGrid);
  }

  /**
   * A distribution on the grid, shifted so that its mean is exact: a time much shorter than a
   * cell would otherwise round to 0, and a hundred of them in turn would still add up to 0.
   * (Not when part of it lies beyond the grid: there its mean cannot be placed.)
   */
  static of(d: Dist, cellMs: number): GridDist {
    const mass = new Float64Array(GRID);
    if (d.kind === 'constant') {
      mass[0] = 1;
      return new GridDist(cellMs, mass, d.value);
    }
    let below = 0; // P(X < 0)
    let latticeMean = 0;
    for (let i = 0; i < GRID; i++) {
      const f = cdfAt(d, (i + 0.5) * cellMs);
      mass[i] = f - below;
      latticeMean += i * cellMs * mass[i];
      below = f;
    }
    return new GridDist(cellMs, mass, 1 - below < 1e-12 ? meanOf(d) - latticeMean : 0);
  }

  /** X + Y, independent: the shifts add, the lattices convolve. */
  plus(o: GridDist): GridDist {
    const a = this.mass;
    const b = o.mass;
    const out = new Float64Array(GRID);
    // Most of the grid is empty (it spans the longest response time): loop over b's support only.
    const [first, last] = o.range();
    for (let i = 0; i < GRID; i++) {
      const ai = a[i];
      if (ai === 0) continue;
      const end = Math.min(last, GRID - 1 - i);
      for (let j = first; j <= end; j++) out[i + j] += ai * b[j];
    }
    return new GridDist(this.cellMs, out, this.offsetMs + o.offsetMs, this.total * o.total);
  }

  /**
   * The same distribution on another shift: its lattice moves by the difference in whole cells
   * (up: what passes the last cell is beyond; down: what passes cell 0 stays there).
   */
  private shiftedTo(offsetMs: number): GridDist {
    const k = Math.round((this.offsetMs - offsetMs) / this.cellMs);
    if (k === 0) return new GridDist(this.cellMs, this.mass, offsetMs, this.total);
    const out = new Float64Array(GRID);
    if (k > 0) out.set(this.mass.subarray(0, Math.max(0, GRID - k)), Math.min(k, GRID));
    else {
      for (let i = 0; i < GRID; i++) out[Math.max(0, i + k)] += this.mass[i];
    }
    return new GridDist(this.cellMs, out, offsetMs, this.total);
  }

  /** max(X, Y), independent: the CDFs multiply (at the cells' upper edges), on the larger shift (the maximum is at least that). */
  max(o: GridDist): GridDist {
    const base = Math.max(this.offsetMs, o.offsetMs);
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
    return new GridDist(this.cellMs, out, base, this.total * o.total);
  }

  /** With probability p this, else o; on their weighted shift, which keeps the mean. */
  mixedWith(p: number, o: GridDist): GridDist {
    if (p === 1) return this;
    if (p === 0) return o;
    const base = p * this.offsetMs + (1 - p) * o.offsetMs;
    const a = this.shiftedTo(base).mass;
    const b = o.shiftedTo(base).mass;
    return new GridDist(
      this.cellMs,
      a.map((m, i) => p * m + (1 - p) * b[i]),
      base,
      p * this.total + (1 - p) * o.total,
    );
  }

  /** The same times with probability f: the part of them that succeeds, when f of them do. */
  scaled(f: number): GridDist {
    return new GridDist(
      this.cellMs,
      this.mass.map((m) => m * f),
      this.offsetMs,
      this.total * f,
    );
  }

  /** Only the times up to t (what a timeout lets through as a success); the rest is dropped. */
  truncatedAt(t: number): GridDist {
    const out = new Float64Array(GRID);
    const k = Math.round((t - this.offsetMs) / this.cellMs);
    let kept = 0;
    for (let i = 0; i <= Math.min(k, GRID - 1); i++) {
      out[i] = this.mass[i];
      kept += out[i];
    }
    return new GridDist(this.cellMs, out, this.offsetMs, kept);
  }

  /** min(X, t): what is longer ends at t (a timeout). */
  cappedAt(t: number): GridDist {
    if (t <= this.offsetMs) {
      const at = new Float64Array(GRID);
      at[0] = this.total;
      return new GridDist(this.cellMs, at, t, this.total);
    }
    const k = Math.min(GRID - 1, Math.round((t - this.offsetMs) / this.cellMs));
    const out = this.mass.slice();
    let above = this.beyond;
    for (let i = k + 1; i < GRID; i++) {
      above += out[i];
      out[i] = 0;
    }
    out[k] += above;
    return new GridDist(this.cellMs, out, this.offsetMs, this.total);
  }

  /** P(X > t), a cell's mass read as spread evenly over its width. */
  tail(t: number): number {
    return this.tailFrom(this.suffix(), t);
  }

  /** above[k] = P(L in cell k or higher), beyond included: tails in O(1). */
  private suffix(): Float64Array {
    const above = new Float64Array(GRID + 1);
    above[GRID] = this.beyond;
    for (let i = GRID - 1; i >= 0; i--) above[i] = above[i + 1] + this.mass[i];
    return above;
  }

  private tailFrom(above: Float64Array, t: number): number {
    const pos = (t - this.offsetMs) / this.cellMs + 0.5; // cell k spans [k, k + 1) in these units
    if (pos < 0) return 1;
    if (pos >= GRID) return above[GRID];
    const k = Math.floor(pos);
    return Math.min(1, Math.max(0, above[k + 1] + this.mass[k] * (k + 1 - pos)));
  }

  /**
   * The first answer of an attempt and its hedges, sent every `after` up to `max` while none
   * has answered, independent: P(R > t) = Π S(t − i × after) over the attempts sent before t.
   */
  hedged(h: HedgePolicy): GridDist {
    const above = this.suffix();
    const survival = (t: number) => {
      let p = 1;
      for (let i = 0; i <= h.max && i * h.afterMs < t; i++) p *= this.tailFrom(above, t - i * h.afterMs);
      return p;
    };
    const out = new Float64Array(GRID);
    let before = 1; // P(R > the lower edge of cell 0): every attempt takes at least the offset
    for (let k = 0; k < GRID; k++) {
      const s = survival(this.offsetMs + (k + 0.5) * this.cellMs);
      out[k] = Math.max(0, before - s);
      before = s;
    }
    return new GridDist(this.cellMs, out, this.offsetMs, this.total);
  }

  /** The p-quantile (of the successful part: conditional on success), read within its cell; Infinity beyond the grid, NaN when nothing succeeds. */
  quantile(p: number): number {
    if (!(this.total > 0)) return NaN;
    const target = p * this.total;
    let below = 0;
    for (let k = 0; k < GRID; k++) {
      const m = this.mass[k];
      if (m > 0 && below + m >= target) {
        const within = (target - below) / m; // the cell's mass spread over [k − ½, k + ½) cells
        return this.offsetMs + Math.max(0, k - 0.5 + within) * this.cellMs;
      }
      below += m;
    }
    return Infinity;
  }

  /** The mean (conditional on success), counting what lies beyond the grid at its edge (a lower bound then). */
  get meanMs(): number {
    if (!(this.total > 0)) return NaN;
    let sum = 0;
    for (let k = 0; k < GRID; k++) sum += k * this.mass[k];
    return this.offsetMs + ((sum + this.beyond * GRID) * this.cellMs) / this.total;
  }
}

/** The percentile that bounds a response time, to size its grid. */
const BOUND_Q = 0.9999;

/**
 * The response time of a call from a caller to an endpoint, as the caller sees it: the link
 * there, the endpoint's work, then — unless it failed (errorRate) — its steps, each call ended
 * at its timeout, and the link back. One per scenario (see `for`), shared by the predictions.
 */
export class ResponseTimes {
  private static readonly cache = new WeakMap<Scenario, ResponseTimes>();
  readonly ix: ScenarioIndex;
  private readonly bounds = new Map<string, number>();
  private readonly answers = new Map<string, Answer | null>();

  constructor(
    s: Scenario,
    /** Multiply-adds left (MAX_WORK; tests make it small). */
    private workLeft = MAX_WORK,
  ) {
    this.ix = new ScenarioIndex(s);
  }

  /** The scenario's instance: the predictions of one scenario share its answers and its budget. */
  static for(s: Scenario): ResponseTimes {
    let r = ResponseTimes.cache.get(s);
    if (!r) {
      r = new ResponseTimes(s);
      ResponseTimes.cache.set(s, r);
    }
    return r;
  }

  /**
   * The response time of one attempt from `caller` to `target` (not ended at its own timeout:
   * that is the caller's business), on a grid spanning twice its 99.99th-percentile bound, so
   * that the grid is as fine as the question; null when the budget ran out (MAX_WORK).
   */
  of(caller: string, target: EndpointRef): GridDist | null {
    return this.answer(caller, target)?.all ?? null;
  }

  /** Every answer and the successful ones (see Answer), or null as for `of`. */
  answer(caller: string, target: EndpointRef): Answer | null {
    const key = `${caller}->${target.service}.${target.endpoint}`;
    if (this.answers.has(key)) return this.answers.get(key)!;
    let answer: Answer | null;
    try {
      answer = new Lattice(this, Math.max(2 * this.callBoundMs(caller, target), 1e-3) / GRID).call(caller, target);
    } catch (e) {
      if (!(e instanceof TooLarge)) throw e;
      answer = null;
    }
    this.answers.set(key, answer);
    return answer;
  }

  /** The latency of the link `from->to`. */
  latency(from: string, to: string): Dist {
    return this.ix.link(from, to).latency;
  }

  /** Spends `n` multiply-adds of the budget, or throws TooLarge. */
  spend(n: number): void {
    this.workLeft -= n;
    if (this.workLeft < 0) throw new TooLarge();
  }

  /**
   * A bound on a call's response time from 99.99th percentiles: links both ways, work, steps
   * (calls ended at their timeouts, parallel branches their slowest).
   */
  private callBoundMs(caller: string, target: EndpointRef): number {
    return 2 * quantile(this.latency(caller, target.service), BOUND_Q) + this.serveBoundMs(`${target.service}.${target.endpoint}`);
  }

  private serveBoundMs(key: string): number {
    const known = this.bounds.get(key);
    if (known !== undefined) return known;
    const at = this.ix.endpoints.get(key);
    if (!at) return 0;
    this.bounds.set(key, 0); // sync cycles are rejected by the loader; guard anyway
    const ms = quantile(at.ep.work, BOUND_Q) + at.ep.steps.reduce((sum, st) => sum + this.stepBoundMs(st, at.svc.name), 0);
    this.bounds.set(key, ms);
    return ms;
  }

  private stepBoundMs(st: Step, caller: string): number {
    switch (st.kind) {
      case 'call':
        return st.times * Math.min(this.callBoundMs(caller, st.target), st.timeoutMs ?? Infinity);
      case 'publish':
        return Math.min(2 * quantile(this.latency(caller, st.queue), BOUND_Q), st.timeoutMs ?? Infinity);
      case 'parallel':
        return st.steps.reduce((m, b) => Math.max(m, this.stepBoundMs(b, caller)), 0);
    }
  }
}

/**
 * A response time in two parts: every answer (what a caller waits for: failures and timeouts
 * included), and the successful answers alone (total = P(success)), whose percentiles are
 * what the results report.
 */
export interface Answer {
  all: GridDist;
  ok: GridDist;
}

/**
 * A call's policies on its attempt's answer. A hedge: the first answer of the attempts, a
 * success as often as one attempt's (first order). A timeout ends every answer at it, and
 * what it ends is a failure.
 */
export function withPolicies(a: Answer, hedge: HedgePolicy | null, timeoutMs: number | null): Answer {
  let r = a;
  if (hedge !== null) {
    const all = r.all.hedged(hedge);
    r = { all, ok: all.scaled(r.ok.total) };
  }
  if (timeoutMs !== null) r = { all: r.all.cappedAt(timeoutMs), ok: r.ok.truncatedAt(timeoutMs) };
  return r;
}

/** One question's grid: its distributions and endpoints' response times, at one cell width. */
class Lattice {
  private readonly grids = new Map<Dist, GridDist>();
  private readonly serving = new Map<string, Answer>();
  private readonly calls = new Map<string, Answer>();

  constructor(
    private readonly rt: ResponseTimes,
    private readonly cellMs: number,
  ) {}

  call(caller: string, target: EndpointRef): Answer {
    const key = `${caller}->${target.service}.${target.endpoint}`;
    let r = this.calls.get(key);
    if (!r) {
      const link = this.grid(this.rt.latency(caller, target.service));
      const served = this.serve(`${target.service}.${target.endpoint}`);
      r = { all: this.sum(this.sum(link, served.all), link), ok: this.sum(this.sum(link, served.ok), link) };
      this.calls.set(key, r);
    }
    return r;
  }

  private sum(a: GridDist, b: GridDist): GridDist {
    this.rt.spend(a.support * b.support);
    return a.plus(b);
  }

  /** Both parts in turn: x then y. */
  private then(x: Answer, y: Answer): Answer {
    return { all: this.sum(x.all, y.all), ok: this.sum(x.ok, y.ok) };
  }

  /** n independent copies in turn, by doubling: 2·log₂(n) steps, not n. */
  private times(one: Answer, n: number): Answer {
    let result: Answer | null = null;
    let power = one;
    for (let k = n; ; ) {
      if (k & 1) result = result === null ? power : this.then(result, power);
      k >>= 1;
      if (k === 0) break;
      power = this.then(power, power);
    }
    return result!;
  }

  private grid(d: Dist): GridDist {
    let g = this.grids.get(d);
    if (!g) {
      g = GridDist.of(d, this.cellMs);
      this.grids.set(d, g);
    }
    return g;
  }

  /** From arrival to answer at the endpoint: work, then its steps unless it failed (errorRate). */
  private serve(key: string): Answer {
    const known = this.serving.get(key);
    if (known) return known;
    const at = this.rt.ix.endpoints.get(key)!;
    const work = this.grid(at.ep.work);
    let steps: Answer | null = null;
    for (const st of at.ep.steps) {
      const t = this.step(st, at.svc.name);
      steps = steps === null ? t : this.then(steps, t);
    }
    const ok = 1 - at.ep.errorRate;
    const r: Answer =
      steps === null ? { all: work, ok: work.scaled(ok) } : { all: this.sum(work, steps.all).mixedWith(ok, work), ok: this.sum(work, steps.ok).scaled(ok) };
    this.serving.set(key, r);
    return r;
  }

  private step(st: Step, caller: string): Answer {
    switch (st.kind) {
      case 'call': {
        let a = withPolicies(this.call(caller, st.target), st.hedge, st.timeoutMs);
        // A fallback answers every failure with a (degraded) success, when the failure comes.
        if (st.fallback === 'degrade') a = { all: a.all, ok: a.all };
        return this.times(a, st.times);
      }
      case 'publish': {
        const link = this.grid(this.rt.latency(caller, st.queue));
        const ack = this.sum(link, link);
        return withPolicies({ all: ack, ok: ack }, null, st.timeoutMs);
      }
      case 'parallel': {
        const branches = st.steps.map((b) => this.step(b, caller));
        return branches.reduce((m, b) => ({ all: m.all.max(b.all), ok: m.ok.max(b.ok) }));
      }
    }
  }
}
