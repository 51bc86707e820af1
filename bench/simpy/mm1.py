"""M/M/1 in SimPy: the same model as bench/scenarios/mm1.yaml, for a side-by-side speed figure.

One poisson source (rate λ), one simpy.Resource with capacity 1 (the server), exponential
work with mean 1/μ. Arrivals stop at `duration` = customers / λ, then the queue drains, as in
faultline. Time is in milliseconds, as in faultline.

Prints one JSON object on stdout: what bench/simpy.ts reads.
"""
import argparse
import json
import random
import resource
import time

import simpy


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=float, default=1e6, help="expected customers (sets the duration)")
    ap.add_argument("--rho", type=float, default=0.8)
    ap.add_argument("--service-mean-ms", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    mu = 1.0 / a.service_mean_ms          # per ms
    lam = a.rho * mu                       # per ms
    duration_ms = a.customers / lam
    # Separate generators for arrivals and work, as faultline's separate streams.
    arrivals_rng = random.Random(f"{a.seed}/arrivals")
    work_rng = random.Random(f"{a.seed}/work")

    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    stats = {"arrived": 0, "done": 0, "latency_sum": 0.0}

    def customer(env):
        t0 = env.now
        with server.request() as req:
            yield req
            yield env.timeout(work_rng.expovariate(mu))
        stats["done"] += 1
        stats["latency_sum"] += env.now - t0

    def source(env):
        while True:
            yield env.timeout(arrivals_rng.expovariate(lam))
            if env.now >= duration_ms:
                return
            stats["arrived"] += 1
            env.process(customer(env))

    env.process(source(env))
    t0 = time.perf_counter()
    env.run()  # until no event is left: arrivals end at duration, then the queue drains
    wall_s = time.perf_counter() - t0

    print(json.dumps({
        "model": "mm1",
        "simulatedMs": duration_ms,
        "requests": stats["arrived"],
        "completed": stats["done"],
        "wallMs": wall_s * 1000,
        # SimPy numbers every event it schedules; all of them ran (the queue is empty).
        "events": next(env._eid),
        "meanLatencyMs": stats["latency_sum"] / max(1, stats["done"]),
        "peakRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
