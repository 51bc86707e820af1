import { existsSync } from 'node:fs';
import { meanOf, Z99, type Dist } from '../../engine/distributions.js';
import {
  formatAvailability,
  formatRate,
  predict,
  refKey,
  type AmplificationPath,
  type LatencyEstimate,
  type LoadStatus,
  type Predictions,
  type ServiceLoad,
  type SourceAvailability,
} from '../../run/predict.js';
import { loadScenarioText } from '../../scenario/load.js';
import { parseYaml } from '../../scenario/source.js';
import type { BreakerPolicy, CallPolicies, Fault, HedgePolicy, Link, Queue, RetryPolicy, Scenario, ScenarioSet, Service, Step, TrafficSource } from '../../scenario/types.js';
import { formatDurationMs } from '../../scenario/units.js';
import { EXIT, InputError } from '../errors.js';
import { parseList } from '../parse.js';
import { bundledNames, checkVariants, readScenarioArg, resolveScenario } from '../scenarios.js';
import { columns, pad, width } from '../text.js';

/**
 * `faultline explain <scenario>`: the scenario as text for a workshop's "predict, then run" —
 * its story and lesson (the takeaway only with --answers), its topology, and the analytic
 * predictions of sim/run/predict.ts for the baseline and each variant.
 */
export interface ExplainOptions {
  variant?: string;
  answers?: boolean;
  /** commander's --no-predictions. */
  predictions?: boolean;
}

export function explainCommand(arg: string, o: ExplainOptions): number {
  const { path } = resolveScenario(arg);
  if (!existsSync(path)) {
    const names = bundledNames();
    throw new InputError(`${arg}: no such file, and no bundled scenario of that name (expected a path or one of: ${names.join(', ')}; see faultline list)`);
  }
  const { text, shown } = readScenarioArg(arg);
  const set = loadScenarioText(text, shown);
  const wanted = o.variant === undefined ? null : parseList(o.variant);
  checkVariants(set, wanted);
  process.stdout.write(renderExplain(set, { arg, text, variants: wanted, answers: o.answers === true, predictions: o.predictions !== false }));
  return EXIT.ok;
}

export interface RenderOptions {
  /** How the user named the scenario (for the commands it suggests). */
  arg: string;
  /** The scenario's text: the variants' `set` paths are read from it. */
  text: string | null;
  /** Variants to predict (the baseline always); null = all. */
  variants: string[] | null;
  answers: boolean;
  predictions: boolean;
}

const WIDTH = 96;

/** The whole explanation, as text. Pure: the command only prints it. */
export function renderExplain(set: ScenarioSet, o: RenderOptions): string {
  const s = set.base;
  const out: string[] = [];
  const cmdArg = /[\s'"]/.test(o.arg) ? JSON.stringify(o.arg) : o.arg;

  // ── The story ──
  out.push(s.title);
  const facts = [
    s.name,
    set.file,
    `${formatDurationMs(s.durationMs)}${s.warmupMs > 0 ? `, warmup ${formatDurationMs(s.warmupMs)}` : ''}`,
    `seed ${s.seed}`,
    plural(s.replications, 'replication'),
    plural(set.variants.length, 'variant'),
  ];
  out.push(facts.join(' · '));
  if (s.description.trim() !== '') {
    out.push('');
    out.push(...wrap(s.description, WIDTH, '  '));
  }
  out.push('');
  out.push('LESSON');
  if (s.lesson === null) out.push('  (this scenario has no lesson)');
  else {
    const l = s.lesson;
    if (l.question) out.push(...labelled('Question', l.question));
    if (l.lookFor) out.push(...labelled('Look for', l.lookFor));
    if (l.takeaway) {
      if (o.answers) out.push(...labelled('Takeaway', l.takeaway));
      else out.push(...labelled('Takeaway', `(hidden: predict, run it, then \`faultline explain ${cmdArg} --answers\`)`));
    }
  }

  // ── The topology ──
  out.push('');
  out.push('TOPOLOGY');
  out.push(...renderTopology(s));

  // ── Variants ──
  if (set.variants.length > 0) {
    out.push('');
    out.push('VARIANTS');
    const changes = variantChanges(o.text);
    for (const v of set.variants) {
      out.push(...wrap(`${v.name}${v.description ? `: ${v.description}` : ''}`, WIDTH, '      ', '  '));
      const c = changes.get(v.name);
      if (c) out.push(...wrap(`changes: ${c}`, WIDTH, '      ', '    '));
    }
  }

  // ── Predictions ──
  if (o.predictions) {
    out.push('');
    out.push(`PREDICTIONS  (analytic, before running: compare with \`faultline run ${cmdArg}\`)`);
    const base = predict(s);
    const baseTree = renderCallTree(s).join('\n');
    out.push('');
    out.push('baseline');
    const shown: NotesShown = { queue: false, hedge: false };
    const baseLines = renderPredictions(s, base, null, shown);
    out.push(...baseLines.all);
    for (const v of set.variants) {
      if (o.variants !== null && !o.variants.includes(v.name)) continue;
      out.push('');
      out.push(...wrap(`variant ${v.name}${v.description ? ` — ${v.description}` : ''}`, WIDTH, '  ', ''));
      const tree = renderCallTree(v.scenario);
      if (tree.join('\n') !== baseTree) {
        out.push('  Call tree (changed)');
        out.push(...tree.map((l) => `  ${l}`));
      }
      out.push(...renderPredictions(v.scenario, predict(v.scenario), baseLines, shown).all);
    }
    out.push('');
    out.push(...wrap('These are first-order estimates: no faults, no queueing delays, first attempts (and hedges) for the loads, independent failures for retries. The run measures what they leave out.', WIDTH, ''));
  }
  out.push('');
  out.push(`Next: faultline run ${cmdArg}`);
  if (!o.answers && s.lesson?.takeaway) out.push(`Then: faultline explain ${cmdArg} --answers`);
  return `${out.join('\n')}\n`;
}

// ───────────────────────────── predictions ─────────────────────────────

interface RenderedPredictions {
  latency: string[];
  /** The load tables without their explanations, to compare a variant with the baseline. */
  loadTables: string[];
  amplification: string[];
  all: string[];
}

/** Explanations printed once, where first needed (baseline, then variants in order). */
interface NotesShown {
  queue: boolean;
  hedge: boolean;
}

function renderPredictions(s: Scenario, p: Predictions, baseline: RenderedPredictions | null, shown: NotesShown): RenderedPredictions {
  const availability = renderAvailability(p.availability);
  const loadTables = renderLoad(s, p, { hold: false, queue: false, hedge: false });
  const sameLoad = baseline !== null && sameLines(loadTables, baseline.loadTables);
  const notes = { hold: baseline === null, queue: !shown.queue && p.load.queues.length > 0, hedge: !shown.hedge && p.load.hedges.length > 0 };
  const load = renderLoad(s, p, notes);
  const amplification = renderAmplification(p);
  const latency = renderLatency(p.latency, p.availability);
  const all: string[] = [];
  all.push('  Availability of one operation, no faults: Π(1 − errorRate) along the synchronous call tree;');
  all.push('  with retries, 1 − (1 − p)ⁿ for each layer that retries n times (independent attempts)');
  all.push(...availability);
  if (baseline && sameLines(latency, baseline.latency)) all.push('  Latency with no queueing: as in the baseline');
  else {
    all.push('  Latency of one operation with no queueing: the network, the work and the calls in turn');
    all.push('  (hedges included, retries not); the run adds the time spent waiting for a worker');
    all.push(...latency);
  }
  if (sameLoad) all.push('  Utilization ρ: as in the baseline');
  else {
    all.push('  Utilization ρ = λ × E[work] / (instances × concurrency), λ pushed down the call tree');
    all.push(...load);
    shown.queue ||= notes.queue;
    shown.hedge ||= notes.hedge;
  }
  if (baseline && sameLines(amplification, baseline.amplification)) all.push('  Retry amplification rᴸ: as in the baseline');
  else {
    all.push('  Retry amplification rᴸ = Π maxAttempts of the nested retrying layers, when the deepest');
    all.push('  service fails every request (the worst case)');
    all.push(...amplification);
  }
  return { latency, loadTables, amplification, all };
}

function renderLatency(list: LatencyEstimate[], availability: SourceAvailability[]): string[] {
  const rows: string[][] = [['', 'p50≈', 'p99≈', 'p99.9≈', 'mean≈']];
  for (const l of list) {
    if (l.p50Ms === null) {
      rows.push([`${l.source} → ${l.target}`, 'not predicted: the call tree is too large to compute']);
      continue;
    }
    // NaN: nothing succeeds (then the line below says so); Infinity: beyond the grid.
    const at = (ms: number | null) => (ms === null || Number.isNaN(ms) ? '—' : ms === Infinity ? '?' : formatDurationMs(ms));
    rows.push([`${l.source} → ${l.target}`, at(l.p50Ms), at(l.p99Ms), at(l.p999Ms), at(l.meanMs)]);
  }
  const out = columns(rows, [false, true, true, true, true]).map((r) => `    ${r}`);
  list.forEach((l, i) => {
    // Timeouts that cut into the answers fail operations that the availability product counts as successes.
    if (l.success !== null && l.success < availability[i].noRetries.value - 0.0005) {
      out.push(...wrap(`${l.source}: ${formatAvailability(l.success)} of the operations succeed within the timeouts (errors and timeouts fail, retries are not counted); the percentiles are theirs, as in the results`, WIDTH, '        ', '      '));
    }
  });
  return out;
}

function sameLines(a: string[], b: string[]): boolean {
  return a.join('\n') === b.join('\n');
}

function renderAvailability(list: SourceAvailability[]): string[] {
  const out: string[] = [];
  for (const a of list) {
    out.push(`    ${a.source} → ${a.target}`);
    const none = a.noRetries.formula === '1' ? `1 = 100% (nothing on this tree fails without a fault)` : `${a.noRetries.formula} ${equalsAvailability(a.noRetries.value)}`;
    out.push(`      no retries    ${none}`);
    if (a.withRetries) {
      out.push(...wrap(`${a.withRetries.formula} ${equalsAvailability(a.withRetries.value)}`, WIDTH, '          ', '      with retries  '));
    } else {
      out.push('      with retries  (no retrying call on this tree)');
    }
    for (const n of a.notes) out.push(...wrap(`note: ${n}`, WIDTH, '        ', '      '));
  }
  return out;
}

const HOLD_NOTE =
  'ρ counts work alone, so it is a lower bound: a worker is held for the whole request, waiting for its downstream calls too. E[hold] estimates that holding time as work + the mean latency of the downstream calls, network included (no queueing, no retries; capped by timeouts); ρ(hold) = λ × E[hold] / workers is an estimate.';

const HEDGE_NOTE =
  'A hedge goes out when no attempt has answered by then: P(hedge k) = Π S(i × after) for i = 1…k, S(t) the chance that an attempt takes longer than t, with no queueing: the callee\'s work tail with the network at its mean or, for a callee that makes calls of its own, its whole response time. Under load attempts wait in queues, so more of them are late and hedged than this says.';

const QUEUE_NOTE =
  "A queue's ρ = λ × E[delivery] / consumers: its consumers are busy for the whole delivery (the link both ways and the consumer's holding time); at ρ ≥ 1 the backlog grows.";

/** `notes`: whether to explain ρ and E[hold], a queue's ρ and hedges (once: for the baseline, or when first seen). */
function renderLoad(s: Scenario, p: Predictions, notes: { hold: boolean; queue: boolean; hedge: boolean }): string[] {
  const out: string[] = [];
  const L = p.load;
  for (const src of L.sources) {
    if (src.closed && !Number.isFinite(src.closed.boundPerSec)) {
      out.push(...wrap(`${src.source} → ${src.target}: a closed loop with no think time and no response time: nothing bounds its rate (not predicted, shown as ?).`, WIDTH, '      ', '    '));
    } else if (src.closed) {
      const c = src.closed;
      const think = c.thinkBoundPerSec === Infinity ? 'no think time, so no bound from it' : `≤ N/Z = ${perSec(c.thinkBoundPerSec)}`;
      out.push(
        ...wrap(
          `${src.source} → ${src.target}: a closed loop, so λ is not known up front — it depends on the response time R: λ = N/(Z + R) ≤ ${c.users}/(${formatDurationMs(c.thinkMs)} + ${formatDurationMs(c.responseMs)}) = ${perSec(c.boundPerSec)}, using R ≥ R₀ = ${formatDurationMs(c.responseMs)} (the response time with no queueing); ${think}. The loads below use the bound ${perSec(c.boundPerSec)}, marked ≤.`,
          WIDTH,
          '      ',
          '    ',
        ),
      );
    } else {
      const peak = src.peakPerSec !== src.perSec ? ` (peak ${perSec(src.peakPerSec)} from its schedule or a surge)` : '';
      out.push(`    ${src.source} → ${src.target}: λ = ${perSec(src.perSec)}${peak}`);
    }
  }
  for (const h of L.hedges) {
    const when = h.max === 1 ? `a hedge after ${formatDurationMs(h.afterMs)}` : `hedges every ${formatDurationMs(h.afterMs)}, up to ${h.max}`;
    const what = h.predicted
      ? `an attempt outlasts ${formatDurationMs(h.afterMs)} with P ≈ ${formatRate(h.firstHedge)}, so ≈ ${num(h.perCall)} hedges per call, counted in the λ below it.`
      : 'not predicted: the call tree below is too large to compute its response time, so the λ below leaves these hedges out.';
    out.push(...wrap(`${h.label}: ${when}; ${what}`, WIDTH, '      ', '    '));
  }
  if (L.hedges.length > 0 && notes.hedge) out.push(...wrap(HEDGE_NOTE, WIDTH, '      ', '    '));
  const head = ['service', 'λ', 'E[work]', 'λ·E[work]', 'workers', 'ρ', 'E[hold]≈', 'ρ(hold)≈'];
  if (L.hasPeak) head.push('ρ peak');
  head.push('');
  const rows: string[][] = [head];
  for (const v of L.services) {
    const bound = v.upperBound && !Number.isNaN(v.perSec) ? '≤' : '';
    const row = [
      v.service,
      Number.isNaN(v.perSec) ? '?' : `${bound}${perSec(v.perSec)}`,
      formatDurationMs(v.meanWorkMs),
      Number.isNaN(v.offeredLoad) ? '?' : `${bound}${num(v.offeredLoad)}`,
      `${v.instances}×${v.concurrency}`,
      `${bound}${rho(v.rhoWork)}`,
      formatDurationMs(v.meanHoldMs),
      `${bound}${rho(v.rhoHold)}`,
    ];
    if (L.hasPeak) row.push(`${bound}${rho(v.peakRhoWork)}`);
    row.push(statusText(v, s));
    rows.push(row);
  }
  out.push(...columns(rows, [false, true, true, true, true, true, true, true, true, false]).map((l) => `    ${l}`));
  if (L.queues.length > 0) {
    const qrows: string[][] = [['queue', 'λ', 'consumers', 'E[delivery]≈', 'ρ', '']];
    for (const q of L.queues) {
      const bound = q.upperBound && !Number.isNaN(q.perSec) ? '≤' : '';
      qrows.push([
        `${q.queue} → ${q.consumer}`,
        Number.isNaN(q.perSec) ? '?' : `${bound}${perSec(q.perSec)}`,
        String(q.consumers),
        formatDurationMs(q.meanDeliveryMs),
        `${bound}${rho(q.rho)}`,
        queueStatus(q.status, q.peakStatus),
      ]);
    }
    out.push(...columns(qrows, [false, true, true, true, true, false]).map((l) => `    ${l}`));
    if (notes.queue) out.push(...wrap(QUEUE_NOTE, WIDTH, '      ', '    '));
  }
  if (notes.hold) out.push(...wrap(HOLD_NOTE, WIDTH, '      ', '    '));
  if (L.cycles.length > 0) out.push(...wrap(`Publish cycles feed their own load: ${L.cycles.join(', ')} (not predicted, shown as ?).`, WIDTH, '      ', '    '));
  return out;
}

function statusText(v: ServiceLoad, s: Scenario): string {
  const svc = s.services.find((x) => x.name === v.service)!;
  const closed = v.upperBound ? ' at the closed loop\'s bound: then it is the bottleneck, and the users wait in its queue' : '';
  switch (v.status) {
    case 'idle':
      return 'not called';
    case 'unknown':
      return 'not predicted (fed by a publish cycle or an unbounded closed loop)';
    case 'saturated':
      return svc.queueLimit === Infinity || closed
        ? `saturated: the queue grows without bound${closed}`
        : `saturated: the queue grows, fills (queueLimit ${svc.queueLimit}) and rejects the excess`;
    case 'held':
      return `likely saturated: workers are held waiting for downstream calls${closed}`;
    case 'ok':
      if (v.peakStatus === 'saturated') return 'saturated at the peak rate: the queue grows while it lasts';
      if (v.peakStatus === 'held') return 'likely saturated at the peak rate (workers held by downstream calls)';
      return '';
  }
}

function queueStatus(status: LoadStatus, peak: LoadStatus): string {
  if (status === 'idle') return 'nothing published';
  if (status === 'unknown') return 'not predicted (fed by a publish cycle or an unbounded closed loop)';
  if (status === 'saturated') return 'saturated: the backlog grows without bound';
  if (peak === 'saturated') return 'saturated at the peak rate: the backlog grows while it lasts';
  return '';
}

const MAX_SHOWN_PATHS = 8;

function renderAmplification(p: Predictions): string[] {
  const out: string[] = [];
  for (const a of p.amplification) {
    out.push(
      ...wrap(
        `${a.source} → ${a.target}: with nothing failing, ${num(a.requestsPerOperation)} request${a.requestsPerOperation === 1 ? '' : 's'} per operation (the run's amplification column)`,
        WIDTH,
        '      ',
        '    ',
      ),
    );
    // Identical paths (parallel branches to the same endpoint) are shown once, with a count.
    const groups = new Map<string, { text: string; worst: number; n: number; i: number }>();
    a.paths.forEach((x, i) => {
      const text = `${x.hops.join(' → ')}${x.cycle ? ' (cycle)' : ''}: ${pathFormula(x)}`;
      const g = groups.get(text);
      if (g) g.n++;
      else groups.set(text, { text, worst: x.worst, n: 1, i });
    });
    const sorted = [...groups.values()].sort((u, v) => v.worst - u.worst || u.i - v.i);
    for (const g of sorted.slice(0, MAX_SHOWN_PATHS)) out.push(...wrap(g.n > 1 ? `${g.text} (${g.n} such paths)` : g.text, WIDTH, '          ', '      '));
    const rest = sorted.length - MAX_SHOWN_PATHS;
    if (rest > 0 || a.truncated) {
      out.push(`      … ${rest > 0 ? `${rest} more path${rest === 1 ? '' : 's'}` : 'more paths'}${a.truncated ? ' (too many to list all)' : ''}, rᴸ ≤ ${amp(sorted[Math.min(MAX_SHOWN_PATHS, sorted.length - 1)].worst)}`);
    }
  }
  return out;
}

function pathFormula(p: AmplificationPath): string {
  if (p.layers.length === 0) return 'rᴸ = 1 (no retrying layer)';
  const parts = p.layers.map((l) => `${amp(l.factor)} (${l.label})`);
  let s = `rᴸ = ${parts.join(' × ')}${p.layers.length > 1 ? ` = ${amp(p.worst)}` : ''}`;
  const unbounded = p.layers.find((l) => l.factor === Infinity);
  if (unbounded) s += ` — ${unbounded.label} has no maxDeliveries: redelivered until the run ends`;
  if (p.withBudgets !== null && p.withBudgets !== p.worst) s += `; with the retry budgets, in the long run ≈ ${amp(p.withBudgets)}`;
  return s;
}

// ───────────────────────────── topology ─────────────────────────────

export function renderTopology(s: Scenario): string[] {
  const out: string[] = [];
  out.push('Traffic');
  for (const t of s.traffic) out.push(...wrap(`${t.name} → ${refKey(t.target)}: ${describeTraffic(t)}`, WIDTH, '      ', '  '));
  out.push('');
  out.push('Services');
  for (const svc of s.services) {
    out.push(...wrap(`${svc.name}${svc.kind === 'service' ? '' : ` (${svc.kind})`}: ${describeService(svc)}`, WIDTH, '      ', '  '));
    for (const ep of svc.endpoints) {
      const parts = [`work ${describeDist(ep.work)}`];
      if (ep.errorRate > 0) parts.push(`errors ${formatRate(ep.errorRate)}`);
      if (ep.effect) {
        const window = ep.idempotencyWindowMs !== null ? ` for ${formatDurationMs(ep.idempotencyWindowMs)}` : '';
        parts.push(`effect ${ep.effect} (${ep.idempotent ? `idempotent${window}` : 'not idempotent'})`);
      }
      out.push(...wrap(`${ep.name}: ${parts.join(' · ')}`, WIDTH, '        ', '    '));
    }
  }
  out.push('');
  out.push('Call tree  (→ synchronous call, ⇢ publish and delivery through a queue)');
  out.push(...renderCallTree(s));
  out.push('');
  out.push('Links  (one-way latency, drawn for the request and again for the answer)');
  out.push(`  default: ${describeLink(s.links.default)}`);
  for (const [key, l] of s.links.pairs) out.push(`  ${key}: ${describeLink(l)}`);
  out.push('');
  if (s.queues.length === 0) out.push('Queues: none');
  else {
    out.push('Queues');
    for (const q of s.queues) out.push(...wrap(`${q.name} → ${refKey(q.consumer)}: ${describeQueue(q)}`, WIDTH, '      ', '  '));
  }
  out.push('');
  if (s.faults.length === 0) out.push('Faults: none');
  else {
    out.push('Faults (timeline)');
    const faults = [...s.faults].sort((a, b) => a.atMs - b.atMs);
    const when = faults.map((f) => `${clock(f.atMs)} → ${clock(f.atMs + f.forMs)}`);
    const w = Math.max(...when.map(width));
    faults.forEach((f, i) => out.push(`  ${pad(when[i], w)}  ${describeFault(f)}`));
  }
  return out;
}

const MAX_TREE_LINES = 400;

/** The call tree from each traffic target, with each step's policies. */
export function renderCallTree(s: Scenario): string[] {
  const endpoints = new Map<string, Scenario['services'][number]['endpoints'][number]>(s.services.flatMap((svc) => svc.endpoints.map((e) => [`${svc.name}.${e.name}`, e] as [string, typeof e])));
  const queues = new Map(s.queues.map((q) => [q.name, q]));
  const out: string[] = [];
  let cut = false;
  const line = (indent: number, text: string) => {
    if (out.length >= MAX_TREE_LINES) {
      cut = true;
      return;
    }
    out.push(...wrap(text, WIDTH, ' '.repeat(indent + 6), ' '.repeat(indent)));
  };
  const steps = (list: Step[], indent: number, path: string[]) => {
    for (const st of list) {
      if (cut) return;
      if (st.kind === 'parallel') {
        line(indent, 'parallel (all branches at once; waits for all, fails if one fails):');
        steps(st.steps, indent + 2, path);
      } else if (st.kind === 'call') {
        const key = refKey(st.target);
        line(indent, `→ ${key}${st.times > 1 ? ` × ${st.times} (one after another)` : ''}  [${describePolicies(st, true)}]`);
        endpoint(key, indent + 2, path);
      } else {
        line(indent, `⇢ publish ${st.queue}  [${describePolicies(st, true)}; waits only for the broker's ack]`);
        const q = queues.get(st.queue);
        if (q) {
          const key = refKey(q.consumer);
          line(indent + 2, `⇢ ${key}  (delivered by ${q.name}: ${plural(q.consumers, 'consumer')}, ${q.delivery})`);
          endpoint(key, indent + 4, path);
        }
      }
    }
  };
  const endpoint = (key: string, indent: number, path: string[]) => {
    if (path.includes(key)) {
      line(indent, `(back to ${key}: a cycle through a queue)`);
      return;
    }
    const ep = endpoints.get(key);
    if (ep) steps(ep.steps, indent, [...path, key]);
  };
  for (const t of s.traffic) {
    const key = refKey(t.target);
    const client = [t.timeoutMs !== null ? `timeout ${formatDurationMs(t.timeoutMs)}` : 'no timeout: waits for ever'];
    if (t.retry) client.push(describeRetry(t.retry));
    line(2, `${t.name} → ${key}  [client: ${client.join(' · ')}]`);
    endpoint(key, 4, []);
  }
  if (cut) out.push('  … (the tree is too large to show in full)');
  return out;
}

function describeTraffic(t: TrafficSource): string {
  const parts: string[] = [];
  if (t.arrivals === 'closed') {
    parts.push(`closed loop: ${plural(t.users, 'user')}, each thinks (${describeDist(t.think)}) then waits for its operation`);
  } else {
    parts.push(`${t.arrivals} ${perSec(t.ratePerMs * 1000)}`);
    if (t.schedule.length > 0) parts.push(`then ${t.schedule.map((e) => `${perSec(e.ratePerMs * 1000)} at ${formatDurationMs(e.atMs)}`).join(', ')}`);
  }
  parts.push(t.timeoutMs !== null ? `timeout ${formatDurationMs(t.timeoutMs)}` : 'no timeout (waits for ever)');
  parts.push(t.retry ? describeRetry(t.retry) : 'no retry');
  if (t.hedge) parts.push(describeHedge(t.hedge));
  return parts.join(' · ');
}

function describeService(svc: Service): string {
  const parts = [`${plural(svc.instances, 'instance')} × ${plural(svc.concurrency, 'worker')} = ${svc.instances * svc.concurrency}`];
  if (svc.queueLimit === Infinity) parts.push('unlimited wait queue');
  else if (svc.queueLimit === 0) parts.push('no wait queue (rejects when every worker is busy)');
  else parts.push(`wait queue ≤ ${svc.queueLimit} per instance`);
  if (svc.instances > 1) parts.push(svc.balancer);
  if (svc.maxQueueTimeMs !== null) parts.push(`sheds requests queued over ${formatDurationMs(svc.maxQueueTimeMs)}`);
  if (svc.deadlinePropagation) parts.push('honours deadlines');
  if (svc.healthCheckMs > 0) parts.push(`health check ${formatDurationMs(svc.healthCheckMs)}`);
  return parts.join(' · ');
}

/** A distribution in words: `lognormal median 3ms p99 25ms (mean 4.2ms)`. */
export function describeDist(d: Dist, withMean = true): string {
  const ms = formatDurationMs;
  const mean = withMean ? ` (mean ${ms(meanOf(d))})` : '';
  switch (d.kind) {
    case 'constant':
      return ms(d.value);
    case 'uniform':
      return `uniform ${ms(d.min)}–${ms(d.max)}${mean}`;
    case 'exponential':
      return `exponential mean ${ms(d.mean)}`;
    case 'normal':
      return d.sd === 0 ? ms(d.mean) : `normal mean ${ms(d.mean)} sd ${ms(d.sd)}`;
    case 'lognormal':
      return `lognormal median ${ms(d.median)} p99 ${ms(d.median * Math.exp(d.sigma * Z99))}${mean}`;
    case 'percentiles': {
      const pts = d.points
        .filter(([p, v]) => !(p === 0 && v === 0))
        .map(([p, v]) => `${p === 0 ? 'min' : p === 1 ? 'max' : `p${Number((p * 100).toPrecision(6))}`} ${ms(v)}`);
      return `percentiles ${pts.join(' ')}${mean}`;
    }
    case 'mix': {
      const total = d.parts.reduce((a, p) => a + p.weight, 0);
      return `mix of ${d.parts.map((p) => `${Number(((100 * p.weight) / total).toPrecision(3))}% ${describeDist(p.dist, false)}`).join(' | ')}${mean}`;
    }
  }
}

function describeLink(l: Link): string {
  const lat = l.latency.kind === 'constant' && l.latency.value === 0 ? 'no latency' : `latency ${describeDist(l.latency)}`;
  return `${lat} · ${l.loss > 0 ? `loss ${formatRate(l.loss)} each way` : 'no loss'}`;
}

function describeQueue(q: Queue): string {
  const parts = [q.delivery, plural(q.consumers, 'consumer')];
  if (q.delivery === 'at-least-once') {
    parts.push(`visibility timeout ${formatDurationMs(q.visibilityTimeoutMs)}`);
    if (q.ackLoss > 0) parts.push(`ack loss ${formatRate(q.ackLoss)}`);
    parts.push(q.maxDeliveries === Infinity ? 'no maxDeliveries (redelivered for ever)' : `dead-lettered after ${plural(q.maxDeliveries, 'delivery', 'deliveries')}`);
    if (q.redelivery.backoff !== 'none') parts.push(`redelivery ${describeBackoff(q.redelivery)}`);
  } else parts.push('a failed delivery is lost');
  if (q.consumerTimeoutMs !== null) parts.push(`consumer timeout ${formatDurationMs(q.consumerTimeoutMs)}`);
  if (q.poison > 0) parts.push(`poison ${formatRate(q.poison)}`);
  return parts.join(' · ');
}

function describeFault(f: Fault): string {
  const t = f.targetText;
  switch (f.kind) {
    case 'outage':
      return f.target.type === 'queue' ? `${t} broker outage (publishes fail, nothing is delivered)` : `${t} outage (refuses connections, loses in-flight work)`;
    case 'crash':
      return `${t} crashes, restarts after ${formatDurationMs(f.forMs)}`;
    case 'errors':
      return `${t} also fails ${formatRate(f.rate)} of requests`;
    case 'latency': {
      const parts: string[] = [];
      if (f.factor !== 1) parts.push(`× ${num(f.factor)}`);
      if (f.add) parts.push(`+ ${describeDist(f.add)}`);
      return `${t} work time ${parts.join(' ')}`;
    }
    case 'capacity':
      return f.concurrency !== null ? `${t} down to ${plural(f.concurrency, 'worker')} per instance` : `${t} workers × ${num(f.factor)}`;
    case 'partition':
      return `${t} partitioned (every message lost, both ways)`;
    case 'loss':
      return `${t} also loses ${formatRate(f.rate)} of messages, both ways`;
    case 'surge':
      return f.ratePerMs !== null ? `${t} surges to ${perSec(f.ratePerMs * 1000)}` : `${t} surges × ${num(f.factor)}`;
  }
}

function describePolicies(p: CallPolicies, showNoTimeout: boolean): string {
  const parts: string[] = [];
  if (p.timeoutMs !== null) parts.push(`timeout ${formatDurationMs(p.timeoutMs)}`);
  else if (showNoTimeout) parts.push('no timeout');
  if (p.retry) parts.push(describeRetry(p.retry));
  if (p.hedge) parts.push(describeHedge(p.hedge));
  if (p.circuitBreaker) parts.push(describeBreaker(p.circuitBreaker));
  if (p.bulkhead) parts.push(`bulkhead ${p.bulkhead.maxConcurrent} in flight${p.bulkhead.maxWaitMs > 0 ? ` (waits ≤ ${formatDurationMs(p.bulkhead.maxWaitMs)})` : ''}`);
  if (p.fallback) parts.push(`fallback ${p.fallback}`);
  return parts.join(' · ');
}

function describeBackoff(b: { backoff: string; baseMs: number; capMs: number; multiplier: number; jitter: string }): string {
  let s: string;
  if (b.backoff === 'none') s = 'at once';
  else if (b.backoff === 'constant') s = `${formatDurationMs(Math.min(b.baseMs, b.capMs))} apart`;
  else s = `exponential from ${formatDurationMs(b.baseMs)}${b.multiplier !== 2 ? ` ×${num(b.multiplier)}` : ''}${b.capMs !== Infinity ? ` up to ${formatDurationMs(b.capMs)}` : ''}`;
  if (b.backoff !== 'none' && b.jitter !== 'none') s += `, ${b.jitter} jitter`;
  return s;
}

export function describeRetry(r: RetryPolicy): string {
  if (r.maxAttempts <= 1) return 'retry: 1 attempt (no retry)';
  if (r.retryOn.length === 0) return 'retry: retries nothing (retryOn: [])';
  let s = `retry ${r.maxAttempts} attempts, ${describeBackoff(r)}`;
  if (r.retryOn.length < 3) s += `, on ${r.retryOn.join(' and ')}`;
  if (r.budget !== null) s += `, budget ${formatRate(r.budget)}`;
  return s;
}

function describeHedge(h: HedgePolicy): string {
  return h.max === 1 ? `hedge after ${formatDurationMs(h.afterMs)}` : `hedge every ${formatDurationMs(h.afterMs)}, up to ${h.max}`;
}

function describeBreaker(b: BreakerPolicy): string {
  let s: string;
  if (b.mode === 'consecutive') s = `breaker: opens after ${b.consecutiveFailures} failures in a row`;
  else {
    const window = b.slidingWindow.type === 'count' ? `the last ${b.slidingWindow.size} calls` : `the last ${formatDurationMs(b.slidingWindow.sizeMs)}`;
    s = `breaker: opens at ≥ ${formatRate(b.failureRateThreshold)} failures over ${window} (min ${b.minimumCalls} calls)`;
  }
  if (b.slowCallDurationMs !== null) s += ` or ≥ ${formatRate(b.slowCallRateThreshold)} calls slower than ${formatDurationMs(b.slowCallDurationMs)}`;
  s += `, open ${formatDurationMs(b.waitInOpenMs)}, ${plural(b.halfOpenCalls, 'probe')}`;
  if (b.scope === 'service') s += ', shared by the service';
  return s;
}

/** Each variant's `set` paths (and `extends`), read from the scenario text; empty if unreadable. */
function variantChanges(text: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (text === null) return out;
  try {
    // The loader's own parser (its limits on aliases and nesting), not a second configuration.
    const doc = parseYaml(text, '').data as { variants?: Record<string, { extends?: string; set?: Record<string, unknown> }> };
    for (const [name, v] of Object.entries(doc?.variants ?? {})) {
      const parts: string[] = [];
      for (const [path, value] of Object.entries(v?.set ?? {})) parts.push(value === null ? `${path} removed` : path);
      const own = parts.join(', ');
      if (v?.extends) out.set(name, `those of ${v.extends}${own ? `, then ${own}` : ''}`);
      else if (own) out.set(name, own);
    }
  } catch {
    // The loader has already accepted the text; a listing of changes is only a convenience.
  }
  return out;
}

// ───────────────────────────── text helpers ─────────────────────────────

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function num(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : String(x);
  if (x !== 0 && Math.abs(x) < 0.01) return String(Number(x.toPrecision(2)));
  if (Math.abs(x) >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(Math.abs(x) >= 100 ? 4 : 3)));
}

/** `= 99.60%`, or `≈ 100%` when the failures are too rare to print. */
function equalsAvailability(p: number): string {
  const s = formatAvailability(p);
  return s.startsWith('≈') ? `≈ ${s.slice(1)}` : `= ${s}`;
}

/** A time on the timeline: 65s → 1m5s, 150s → 2m30s. */
function clock(ms: number): string {
  if (ms < 60_000) return formatDurationMs(ms);
  const unit = ms >= 3_600_000 ? 3_600_000 : 60_000;
  const whole = Math.floor(ms / unit);
  const rest = ms - whole * unit;
  return `${whole}${unit === 60_000 ? 'm' : 'h'}${rest > 1e-9 ? clock(rest) : ''}`;
}

function amp(x: number): string {
  return x === Infinity ? '∞' : num(x);
}

function rho(x: number): string {
  if (Number.isNaN(x)) return '?';
  if (x === 0) return '0';
  if (x < 0.0001) return '<0.0001';
  if (x < 0.1) return String(Number(x.toPrecision(2)));
  return x.toFixed(2);
}

/** A rate per second, or per minute below 1/s. */
function perSec(x: number): string {
  if (Number.isNaN(x)) return '?';
  if (x === Infinity) return '∞';
  if (x === 0 || x >= 1) return `${num(x)}/s`;
  return `${num(x * 60)}/min`;
}

function labelled(label: string, text: string): string[] {
  const lines = wrap(text, WIDTH, `  ${' '.repeat(10)}`, `  ${pad(label, 10)}`);
  return lines;
}

/** Words wrapped at `max` columns; the first line starts with `first`, the others with `indent`. */
function wrap(text: string, max: number, indent: string, first = indent): string[] {
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let cur = first;
  let empty = true;
  for (const w of words) {
    if (!empty && width(cur) + 1 + width(w) > max) {
      lines.push(cur);
      cur = indent + w;
    } else cur = empty ? cur + w : `${cur} ${w}`;
    empty = false;
  }
  lines.push(cur);
  return lines;
}
