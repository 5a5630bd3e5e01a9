#!/usr/bin/python3
"""Helper of bench/run-newer-merges-bench.sh: writes its results table from the raw timings.

    summarize_newer.py --raw RAW.tsv --compare COMPARE.txt --results OUT.txt --reps N --methods a,b,...
                       [--meta key=value ...] [--params "method=options;..."]

RAW.tsv lines: method, side (java|numpy), round, wall seconds, peak RSS (KiB), % CPU used by others before
the run, bin/taulab build stamp (- when not bin/taulab or for the peer).
COMPARE.txt: per method a header line "METHOD: ... :", bench/compare.py's output, and "exit=N".
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (meta_lines, median_of, parse_params, parse_reports, read_raw, run_notes,  # noqa: E402
                      write_results)


def parse_compare(path):
    """method -> {tol, rel (worst rel), drel (worst rel to delta), ok, lines}."""
    reports = parse_reports(path, r"^([a-z-]+): .* \((rtol [^)]*)\):$",
                            lambda m: {"method": m.group(1), "tol": m.group(2)})
    return {r["method"]: r for r in reports}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--compare", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--methods", required=True)
    ap.add_argument("--meta", action="append", default=[])
    ap.add_argument("--params", default="")
    a = ap.parse_args()

    runs = {}
    busy = {}
    builds = {}
    for method, side, rnd, wall, rss, b, build in read_raw(a.raw):
        runs.setdefault((method, side), []).append((int(rnd), float(wall), int(rss)))
        busy.setdefault(f"{method}/{side}", []).append(int(b))
        if build != "-":
            builds.setdefault(build, []).append(f"{method}/{side}#{rnd}")
    cmp = parse_compare(a.compare)
    params = parse_params(a.params)

    def med(method, side, i):
        return median_of(runs, (method, side), i)

    L = ["TauLab newer merge methods vs an independent numpy peer (bench/run-newer-merges-bench.sh)", "=" * 78]
    L += meta_lines(a.meta)
    L.append(f"{'method':10s} {a.reps} round(s) per merge method, TauLab and peer interleaved; wall time and peak RSS")
    L.append(f"{'':10s} from /usr/bin/time -v (whole process: JVM or Python start-up, reading, merging, writing);")
    L.append(f"{'':10s} page cache warm, sync before each run; medians")
    L.append("")
    hdr = (f"{'merge':12s} {'java s':>8s} {'numpy s':>8s} {'java/numpy':>10s} {'java RSS':>9s} {'numpy RSS':>9s}"
           f"  agreement (max|d|/max|ref|; /max|delta|)")
    L.append(hdr)
    L.append(f"{'':12s} {'median':>8s} {'median':>8s} {'':>10s} {'MiB':>9s} {'MiB':>9s}")
    all_ok = True
    for method in [m for m in a.methods.split(",") if m]:
        jw, nw = med(method, "java", 1), med(method, "numpy", 1)
        jr, nr = med(method, "java", 2), med(method, "numpy", 2)
        c = cmp.get(method)
        if c is None:
            agree = "not checked"
            all_ok = False
        else:
            all_ok &= c["ok"]
            agree = (f"{'OK' if c['ok'] else 'DIFFER'} {c['rel']:.1e}; {c['drel']:.1e}"
                     if c["rel"] is not None and c["drel"] is not None else ("OK" if c["ok"] else "DIFFER"))
        ratio = f"{jw / nw:.2f}" if jw is not None and nw else "-"

        def f2(x, div=1.0):
            return f"{x / div:.2f}" if x is not None else "-"
        L.append(f"{method:12s} {f2(jw):>8s} {f2(nw):>8s} {ratio:>10s} {f2(jr, 1024):>9s} {f2(nr, 1024):>9s}  {agree}")
    L.append("")
    L.append("all rounds (wall s, TauLab / numpy):")
    for method in [m for m in a.methods.split(",") if m]:
        js = " ".join(f"{w:.2f}" for _, w, _ in sorted(runs.get((method, "java"), [])))
        ns = " ".join(f"{w:.2f}" for _, w, _ in sorted(runs.get((method, "numpy"), [])))
        L.append(f"  {method:12s} {js} / {ns}    options: {params.get(method, '?')}")
    L.append("")
    L.append("output check (bench/compare.py, per tensor: max|java-numpy| / max|numpy| <= rtol and")
    L.append("max|java-numpy| / max|numpy-base| <= delta rtol):")
    for method, c in cmp.items():
        L.append(f"  {method} ({c['tol']}):")
        for line in c["lines"]:
            L.append("    " + line.strip())
    L.append(f"outputs agree: {'yes' if all_ok else 'NO'}")
    L += run_notes(busy, builds, list_builds=False)
    write_results(a.results, L)
    return 0


if __name__ == "__main__":
    sys.exit(main())
