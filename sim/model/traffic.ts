import { makeSampler, standardExponential, type Sampler } from '../engine/distributions.js';
import type { RandomStream } from '../engine/random.js';
import type { TrafficSource } from '../scenario/types.js';
import { Invocation, type CallSite, type InvocationParent } from './call.js';
import type { Outcome } from './outcome.js';
import type { World } from './world.js';

/**
 * A traffic source: open-loop arrivals (poisson or constant) at a rate that follows its
 * schedule and any surge, or a closed loop of users who wait for their operation and think.
 * Each arrival is one operation; the client's timeout and retry live on its call site.
 */
export class SourceRt implements InvocationParent {
  readonly name: string;
  site!: CallSite;
  readonly abandoned = false;
  private readonly sampleThink: Sampler;
  /** Times where the rate may change (schedule entries, surge starts and ends), ascending. */
  private changes: number[] = [];
  private nextChange = 0;
  private scheduleIndex = 0;
  /** The rate between two change points, and the change point it holds until (its index). */
  private segmentRatePerMs = 0;
  private segmentIndex = -1;
  /** Surge faults on this source: known in advance, so a future rate can be computed now. */
  private readonly surges: Array<{ fromMs: number; toMs: number; ratePerMs: number | null; factor: number }>;

  constructor(
    readonly world: World,
    readonly def: TrafficSource,
    readonly index: number,
    private readonly arrivalStream: RandomStream,
    private readonly thinkStream: RandomStream,
  ) {
    this.name = def.name;
    this.sampleThink = makeSampler(def.think);
    this.surges = world.scenario.faults
      .filter((f) => f.kind === 'surge' && f.target.type === 'traffic' && f.target.source === def.name)
      .map((f) => ({ fromMs: f.atMs, toMs: f.atMs + f.forMs, ratePerMs: f.ratePerMs, factor: f.factor }));
  }

  /** The rate now: the schedule's, then the largest active surge (a rate, or the base × factor). */
  rateAt(tMs: number): number {
    // Time only moves forward, so the schedule is walked once over the run.
    const schedule = this.def.schedule;
    while (this.scheduleIndex < schedule.length && schedule[this.scheduleIndex].atMs <= tMs) this.scheduleIndex++;
    const base = this.scheduleIndex === 0 ? this.def.ratePerMs : schedule[this.scheduleIndex - 1].ratePerMs;
    let rate = -1;
    for (const s of this.surges) if (s.fromMs <= tMs && tMs < s.toMs) rate = Math.max(rate, s.ratePerMs ?? base * s.factor);
    return rate < 0 ? base : rate;
  }

  begin(): void {
    const sim = this.world.sim;
    if (this.def.arrivals === 'closed') {
      for (let u = 0; u < this.def.users; u++) sim.schedule(this.sampleThink(this.thinkStream), userIssues, { source: this, user: u });
      return;
    }
    const points = new Set<number>(this.def.schedule.map((e) => e.atMs));
    for (const s of this.surges) {
      points.add(s.fromMs);
      points.add(s.toMs);
    }
    this.changes = [...points].filter((t) => t > 0).sort((a, b) => a - b);
    this.scheduleNextArrival(0);
  }

  /**
   * The next open-loop arrival after `fromMs`. Arrivals follow the integrated rate Λ(t): the
   * next one comes when Λ has grown by `need` since the last (1 for constant arrivals, an
   * Exp(1) draw for poisson). A rate change mid-gap keeps the part already covered, so
   * constant arrivals stay evenly spaced across a change, a change that restates the rate
   * changes nothing, and poisson arrivals take one draw each whatever the schedule.
   */
  private scheduleNextArrival(fromMs: number): void {
    const end = this.world.scenario.durationMs;
    let need = this.def.arrivals === 'constant' ? 1 : standardExponential(this.arrivalStream);
    let t = fromMs;
    for (;;) {
      while (this.nextChange < this.changes.length && this.changes[this.nextChange] <= t) this.nextChange++;
      const change = this.nextChange < this.changes.length ? this.changes[this.nextChange] : Infinity;
      // The rate only changes at change points: worked out once per segment, not per arrival.
      if (this.segmentIndex !== this.nextChange) {
        this.segmentRatePerMs = this.rateAt(t);
        this.segmentIndex = this.nextChange;
      }
      const rate = this.segmentRatePerMs;
      if (rate > 0) {
        const gap = need / rate;
        if (t + gap < change) {
          t += gap;
          break;
        }
        need = Math.max(0, need - rate * (change - t));
      }
      if (change >= end) return;
      t = change;
    }
    if (t >= end) return;
    this.world.sim.at(t, arrival, this);
  }

  arrive(): void {
    this.issue(-1);
    this.scheduleNextArrival(this.world.sim.nowMs);
  }

  issue(user: number): void {
    const world = this.world;
    const op = world.newOperation(this.index);
    op.user = user;
    new Invocation(this.site, this, op, this.site.states[0], null, op.span).start();
  }

  invocationDone(inv: Invocation, outcome: Outcome): void {
    this.world.operationDone(inv.op, outcome);
    const user = inv.op.user;
    if (user >= 0) this.think(user);
  }

  /** A closed-loop user has its answer: it thinks, then issues its next operation. */
  private think(user: number): void {
    const world = this.world;
    if (world.sim.nowMs < world.scenario.durationMs) {
      world.sim.schedule(this.sampleThink(this.thinkStream), userIssues, { source: this, user });
    }
  }
}

function arrival(source: SourceRt): void {
  source.arrive();
}

function userIssues(u: { source: SourceRt; user: number }): void {
  if (u.source.world.sim.nowMs >= u.source.world.scenario.durationMs) return;
  u.source.issue(u.user);
}
