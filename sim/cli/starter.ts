/**
 * The starter scenario `faultline init` writes: small, valid, quick to run, and commented so
 * that a newcomer can change it field by field. It shows the main features: traffic, services
 * with instances/concurrency/queueLimit, endpoints with work distributions and error rates, a
 * call with timeout/retry/circuit breaker, a queue, a fault and two variants.
 */
export interface StarterOptions {
  /** The scenario's `name:` (output files are <name>.json and <name>.html). */
  name: string;
  /** What follows `$schema=` on the first line: a path to faultline's scenario schema. */
  schemaRef: string;
  /** Comment lines (without `#   `) on where that path points. */
  schemaNote: string[];
  /** The file as the user will name it in commands. */
  file: string;
}

export function starterScenario(o: StarterOptions): string {
  const nameLine = `name: ${o.name}`.padEnd(31);
  return `# yaml-language-server: $schema=${o.schemaRef}
# ↑ Editors with the YAML extension (VS Code: redhat.vscode-yaml; or any yaml-language-server)
#   read this line: completion, hover help and red squiggles from faultline's JSON Schema.
${o.schemaNote.map((l) => `#   ${l}`).join('\n')}
#
# A starter faultline scenario: a checkout that charges a card synchronously and sends the
# confirmation e-mail through a queue; the payment provider has an outage. Change anything.
#   npx faultline explain ${o.file}    what simple theory predicts, before running
#   npx faultline run ${o.file}        run it: a table here, an HTML report in faultline-out/
#   npx faultline validate ${o.file}   check it after an edit (errors give file:line:col)
# Every field, its unit and its default: docs/scenarios.md in the faultline package.

${nameLine} # short name: results are written as <name>.json and <name>.html
title: Checkout with a flaky payment provider
description: >
  The web service charges the card synchronously (with a timeout, retries and a circuit
  breaker) and hands the confirmation e-mail to a queue. Payments is slow in its tail and
  has a 20-second outage.
lesson:                         # optional, for teaching: shown by faultline explain and the report
  question: >
    Payments has a slow tail and a 20-second outage. What do the retries and the circuit
    breaker buy, and what do they cost?
  lookFor: >
    Availability in each variant; double-processed charges (a retry after a timeout charges
    the card again) and how idempotency keys remove them; the failed band in the report.
  takeaway: >
    Retries recover from independent failures, not from an outage; a retry after a timeout
    charges the card again unless the charge is idempotent.
seed: 1                         # same scenario + seed + faultline version = the same results
duration: 2m                    # simulated time; durations always carry a unit: ms, s, m, h
warmup: 10s                     # operations that arrive before this are not counted
replications: 2                 # independent runs of each variant (2 or more: confidence intervals)

traffic:                        # who calls the system; each arrival is one user operation
  shoppers:
    target: web.checkout        # the endpoint they call: service.endpoint
    rate: 50/s                  # Poisson arrivals (or arrivals: closed, users: 20, think: 1s)
    timeout: 3s                 # how long a user waits for an answer
    # retry: {maxAttempts: 2, backoff: constant, base: 1s}   # a user pressing reload

services:
  web:
    instances: 2                # instances behind a round-robin balancer
    concurrency: 32             # workers per instance: a request holds one for its whole life,
                                # downstream calls included
    queueLimit: 64              # requests waiting for a worker, per instance; beyond it: rejected
    endpoints:
      checkout:
        work: {lognormal: {median: 3ms, p99: 20ms}}   # time on the worker before the steps
        steps:                  # run in order after the work; a failed step fails the request
          - call: payments.charge                     # synchronous: the worker waits for the answer
            timeout: 400ms      # per attempt; without a timeout the caller waits for ever
            retry: {maxAttempts: 3, backoff: exponential, base: 50ms, jitter: full}   # 3 tries in all
            circuitBreaker: {failureRateThreshold: 50%, slidingWindow: 10s, minimumCalls: 20, waitInOpen: 5s}
            # fallback: degrade  # would answer without the charge instead of failing
          - publish: emails     # asynchronous: waits only for the broker to store the message
            timeout: 200ms
  payments:
    kind: external              # display only: service | database | cache | external
    concurrency: 32
    endpoints:
      charge:
        work: {lognormal: {median: 80ms, p99: 600ms}}  # a card network: fast, with a long tail
        errorRate: 0.5%         # fails 0.5% of requests, after its work
        effect: card-charge     # a side effect: faultline counts operations charged twice
  mailer:
    concurrency: 8
    endpoints:
      send:
        work: {exponential: {mean: 30ms}}
        errorRate: 1%

links:                          # the network: one-way latency (and optional loss) between parties
  default: {latency: {normal: {mean: 1ms, sd: 0.2ms}}}
  # web->payments: {latency: 20ms, loss: 0.1%}         # a slower, lossy link to one party

queues:
  emails:
    consumer: mailer.send       # the endpoint that processes each message
    consumers: 4                # deliveries in flight at once
    delivery: at-least-once     # a failed or unacknowledged delivery is offered again...
    visibilityTimeout: 30s      # ...after this long without an ack...
    maxDeliveries: 5            # ...up to 5 deliveries, then it is dead-lettered

faults:                         # what goes wrong, and when (from the start of the run)
  - {target: payments, kind: outage, at: 60s, for: 20s}   # payments refuses every call for 20 s
  # - {target: payments, kind: latency, factor: 3, at: 90s, for: 10s}

variants:                       # designs compared with the scenario as written (the baseline),
                                # on the same random numbers
  no-breaker:
    description: The same retries, without the circuit breaker.
    set:                        # path → new value; null removes the field
      services.web.endpoints.checkout.steps[0].circuitBreaker: null
  idempotent-charges:
    description: Payments dedupes repeated charges with an idempotency key.
    set:
      services.payments.endpoints.charge.idempotent: true
`;
}
