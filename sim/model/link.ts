import { makeSampler, type Sampler } from '../engine/distributions.js';
import type { RandomStream } from '../engine/random.js';
import type { Link } from '../scenario/types.js';

/**
 * The network between two named ends (services, traffic sources, queues), used for calls
 * from `from` to `to`: requests travel forward, responses back. Each direction draws latency
 * and loss from its own stream, so that they are independent.
 */
export class LinkRt {
  private readonly sample: Sampler;
  private readonly constantMs: number;
  /** Active partitions on this pair (faults may overlap). */
  partitions = 0;
  /** Loss probability: the link's own, combined with active loss faults. */
  loss: number;
  private readonly lossFaults: number[] = [];

  constructor(
    readonly key: string,
    readonly def: Link,
    private readonly latencyForward: RandomStream,
    private readonly latencyBack: RandomStream,
    private readonly lossForward: RandomStream,
    private readonly lossBack: RandomStream,
  ) {
    this.sample = makeSampler(def.latency);
    this.constantMs = def.latency.kind === 'constant' ? def.latency.value : -1;
    this.loss = def.loss;
  }

  /** The one-way delay of a request, or −1 when it is lost. */
  forward(): number {
    if (this.partitions > 0) return -1;
    if (this.loss > 0 && this.lossForward.next() < this.loss) return -1;
    return this.constantMs >= 0 ? this.constantMs : this.sample(this.latencyForward);
  }

  /** The one-way delay of a response, or −1 when it is lost. */
  back(): number {
    if (this.partitions > 0) return -1;
    if (this.loss > 0 && this.lossBack.next() < this.loss) return -1;
    return this.constantMs >= 0 ? this.constantMs : this.sample(this.latencyBack);
  }

  addLossFault(p: number): void {
    this.lossFaults.push(p);
    this.recomputeLoss();
  }

  removeLossFault(p: number): void {
    this.lossFaults.splice(this.lossFaults.indexOf(p), 1);
    this.recomputeLoss();
  }

  /** Independent losses compose: 1 − Π(1 − pᵢ). */
  private recomputeLoss(): void {
    let pass = 1 - this.def.loss;
    for (const p of this.lossFaults) pass *= 1 - p;
    this.loss = 1 - pass;
  }
}

/** Looks up (and creates once) the link for each pair of ends. */
export class LinkTable {
  private readonly links = new Map<string, LinkRt>();

  constructor(
    private readonly defs: { default: Link; pairs: Map<string, Link> },
    private readonly root: RandomStream,
  ) {}

  get(from: string, to: string): LinkRt {
    const key = `${from}->${to}`;
    let link = this.links.get(key);
    if (!link) {
      const def = this.defs.pairs.get(key) ?? this.defs.default;
      const s = this.root;
      link = new LinkRt(
        key,
        def,
        s.fork(`link:${key}/latency`),
        s.fork(`link:${key}/latency-back`),
        s.fork(`link:${key}/loss`),
        s.fork(`link:${key}/loss-back`),
      );
      this.links.set(key, link);
    }
    return link;
  }

  /** Both directions between two ends (a partition cuts both). */
  between(a: string, b: string): LinkRt[] {
    return [this.get(a, b), this.get(b, a)];
  }
}
