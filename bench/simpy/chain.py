"""The 4-hop synchronous chain in SimPy: the same model as bench/scenarios/chain.yaml.

client → hop1 → hop2 → hop3 → hop4 at `rate` requests/s (poisson). Every call, the client's
included, crosses a link with normal latency (mean 1 ms, sd 0.2 ms, truncated at 0) each way.
Each hop is a simpy.Resource with capacity 16 (its workers); a request holds its worker for
its lognormal work (median 2 ms, sigma 0.5) and then for its call to the next hop, and
releases it when it sends its response (faultline's thread-per-request model). After its
work, a hop fails with probability 0.1% and then calls nothing further. The client waits at
most 1 s; after a timeout the hops below keep working ("ghost work"), as in faultline.
Time is in milliseconds. Prints one JSON object on stdout: what bench/simpy.ts reads.
"""
import argparse
import json
import math
import random
import resource
import time

import simpy

HOPS = 4
WORKERS = 16
WORK_MEDIAN_MS = 2.0
WORK_SIGMA = 0.5
ERROR_RATE = 0.001
LINK_MEAN_MS = 1.0
LINK_SD_MS = 0.2
TIMEOUT_MS = 1000.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration-s", type=float, default=300.0)
    ap.add_argument("--rate", type=float, default=1000.0, help="requests per second")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    duration_ms = a.duration_s * 1000.0
    lam = a.rate / 1000.0  # per ms
    arrivals_rng = random.Random(f"{a.seed}/arrivals")
    link_rng = random.Random(f"{a.seed}/links")
    work_rng = random.Random(f"{a.seed}/work")
    error_rng = random.Random(f"{a.seed}/errors")
    log_median = math.log(WORK_MEDIAN_MS)

    def latency():
        # Truncated at 0 by redrawing, as faultline's truncated normal.
        while True:
            x = link_rng.gauss(LINK_MEAN_MS, LINK_SD_MS)
            if x >= 0:
                return x

    env = simpy.Environment()
    workers = [simpy.Resource(env, capacity=WORKERS) for _ in range(HOPS)]
    stats = {"arrived": 0, "ok": 0, "error": 0, "timeout": 0, "latency_sum": 0.0}

    def hop(env, i):
        """One call to hop i, seen from its caller: request over the link, serve, answer back."""
        yield env.timeout(latency())
        with workers[i].request() as req:
            yield req
            yield env.timeout(work_rng.lognormvariate(log_median, WORK_SIGMA))
            ok = error_rng.random() >= ERROR_RATE
            if ok and i + 1 < HOPS:
                ok = yield env.process(hop(env, i + 1))
        # The worker is free once the response is sent; the response then crosses the link.
        yield env.timeout(latency())
        return ok

    def operation(env):
        t0 = env.now
        call = env.process(hop(env, 0))
        deadline = env.timeout(TIMEOUT_MS)
        fired = yield call | deadline
        if call in fired:
            if call.value:
                stats["ok"] += 1
                stats["latency_sum"] += env.now - t0
            else:
                stats["error"] += 1
        else:
            stats["timeout"] += 1

    def source(env):
        while True:
            yield env.timeout(arrivals_rng.expovariate(lam))
            if env.now >= duration_ms:
                return
            stats["arrived"] += 1
            env.process(operation(env))

    env.process(source(env))
    t0 = time.perf_counter()
    env.run()  # until no event is left: arrivals end at duration, then in-flight work drains
    wall_s = time.perf_counter() - t0

    print(json.dumps({
        "model": "chain",
        "simulatedMs": duration_ms,
        "requests": stats["arrived"],
        "succeeded": stats["ok"],
        "failed": stats["error"] + stats["timeout"],
        "timeouts": stats["timeout"],
        "wallMs": wall_s * 1000,
        "events": next(env._eid),
        "meanLatencyMs": stats["latency_sum"] / max(1, stats["ok"]),
        "peakRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
