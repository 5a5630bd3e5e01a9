#!/usr/bin/python3
"""Kernel speed: TauLab's Jupyter kernel against Debian's python3-ipykernel, in one run, through jupyter_client.

For each kernel: the time from launching it until its kernel_info_reply (jupyter_client's start_new_kernel,
median of --starts launches), then the round trip of execute_request -> execute_reply for one trivial
statement, `x = 1` in both languages (after `int x = 0;` / `x = 0`), --requests times after --warmup
untimed requests; we report the median and the 90th percentile. Then the same with a different constant in every
request (`x = 1000`, `x = 1001`, ...), which TauLab must compile each time.

usage: /usr/bin/python3 bench/kernel/kernel_speed.py [--requests 200] [--warmup 20] [--starts 3] [--out FILE.json]
The taulab kernelspec must be installed first (bin/taulab kernel install --user).
"""
import argparse
import json
import platform
import statistics
import time

from jupyter_client.manager import start_new_kernel

KERNELS = {
    "taulab": {"setup": "int x = 0;", "statement": "x = 1"},
    "python3": {"setup": "x = 0", "statement": "x = 1"},
}


def execute(kc, code, timeout=60):
    """Sends one execute_request and waits for its execute_reply; returns the round trip in seconds."""
    start = time.perf_counter()
    msg_id = kc.execute(code, store_history=True)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            elapsed = time.perf_counter() - start
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{code!r} failed: {reply['content']}")
            return elapsed


def drain_iopub(kc):
    while True:
        try:
            kc.get_iopub_msg(timeout=0.05)
        except Exception:
            return


def measure(name, cfg, requests, warmup, starts):
    start_times = []
    for i in range(starts):
        t = time.perf_counter()
        km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)
        start_times.append(time.perf_counter() - t)
        if i < starts - 1:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    try:
        first = execute(kc, cfg["setup"])
        for _ in range(warmup):
            execute(kc, cfg["statement"])
        trips = []
        for i in range(requests):
            trips.append(execute(kc, cfg["statement"]))
            if i % 20 == 0:
                drain_iopub(kc)
        trips.sort()
        # The same statement with a different constant each time: TauLab cannot re-run a compiled class and
        # JShell compiles every request (ipykernel compiles every request too).
        distinct = sorted(execute(kc, cfg["statement"].replace("1", str(1000 + i))) for i in range(requests))
        return {
            "kernel": name,
            "start_to_kernel_info_s": statistics.median(start_times),
            "start_to_kernel_info_all_s": start_times,
            "first_execute_s": first,
            "statement": cfg["statement"],
            "requests": requests,
            "round_trip_median_ms": 1000 * statistics.median(trips),
            "round_trip_p90_ms": 1000 * trips[int(0.9 * len(trips)) - 1],
            "round_trip_min_ms": 1000 * trips[0],
            "distinct_statements_round_trip_median_ms": 1000 * statistics.median(distinct),
            "distinct_statements_round_trip_p90_ms": 1000 * distinct[int(0.9 * len(distinct)) - 1],
        }
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--starts", type=int, default=3)
    p.add_argument("--out")
    a = p.parse_args()
    results = [measure(n, c, a.requests, a.warmup, a.starts) for n, c in KERNELS.items()]
    t, py = results
    summary = {
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
        "results": results,
        "round_trip_ratio_taulab_over_ipykernel": t["round_trip_median_ms"] / py["round_trip_median_ms"],
    }
    print(f"{'kernel':10} {'start→kernel_info':>18} {'first exec':>11} {'round trip median':>18} {'p90':>9}"
          f" {'distinct stmts median':>22} {'p90':>9}")
    for r in results:
        print(f"{r['kernel']:10} {r['start_to_kernel_info_s']:>16.2f} s {r['first_execute_s']:>9.3f} s "
              f"{r['round_trip_median_ms']:>15.2f} ms {r['round_trip_p90_ms']:>6.2f} ms"
              f" {r['distinct_statements_round_trip_median_ms']:>19.2f} ms {r['distinct_statements_round_trip_p90_ms']:>6.2f} ms")
    summary["distinct_statements_ratio_taulab_over_ipykernel"] = (
        t["distinct_statements_round_trip_median_ms"] / py["distinct_statements_round_trip_median_ms"])
    print(f"round trip ratio taulab/ipykernel: {summary['round_trip_ratio_taulab_over_ipykernel']:.2f} "
          f"(distinct statements: {summary['distinct_statements_ratio_taulab_over_ipykernel']:.2f})")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
