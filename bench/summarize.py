#!/usr/bin/python3
"""Helper of bench/run-merge-bench.sh: parses `/usr/bin/time -v` reports and writes the summary table.

    summarize.py --parse-time FILE wall|rss_kb|user|sys     print one value from a `time -v` report
    summarize.py --raw RAW.tsv --results OUT.txt ...         medians, ratios, targets (see run-merge-bench.sh)

RAW.tsv lines: label, round, wall seconds, peak RSS (KiB), % CPU used by others before the run,
bin/taulab build stamp (mtime of kernel-ext/target/.taulab-built; - for non-Java runs).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import meta_lines, median_of, parse_time_report, read_raw, run_notes, write_results  # noqa: E402


def fmt_s(x):
    return f"{x:.2f}" if x is not None else "-"


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--parse-time":
        v = parse_time_report(sys.argv[2])
        key = sys.argv[3]
        if key not in v:
            print(f"summarize: no {key} in {sys.argv[2]}", file=sys.stderr)
            return 1
        print(v[key])
        return 0

    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--compare", required=True)
    ap.add_argument("--compare-ok", required=True)
    ap.add_argument("--ckpt-bytes", type=int, required=True)
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--cart-reps", type=int, required=True)
    ap.add_argument("--cart", type=int, default=1)
    ap.add_argument("--meta", action="append", default=[])
    a = ap.parse_args()

    runs = {}
    busy = {}
    builds = {}
    for label, rnd, wall, rss, b, build in read_raw(a.raw):
        if build != "-":
            builds.setdefault(build, []).append(f"{label}#{rnd}")
        runs.setdefault(label, []).append((int(rnd), float(wall), int(rss)))
        busy.setdefault(label, []).append(int(b))

    def med(label, i=1):
        return median_of(runs, label, i)

    order = ["memcopy", "java-ta", "peer-ta-numpy", "peer-ta-torch", "java-cart", "peer-cart-numpy", "peer-cart-torch"]
    what = {
        "memcopy": "memory-copy bound: cat 9 inputs >/dev/null; dd 1 output",
        "java-ta": "bin/taulab merge task-arithmetic --lambda 0.3",
        "peer-ta-numpy": "peer_merge.py task-arithmetic, numpy",
        "peer-ta-torch": "peer_merge.py task-arithmetic, torch",
        "java-cart": "bin/taulab merge cart --rank-ratio 0.08 --lambda 1.0",
        "peer-cart-numpy": "peer_merge.py cart, numpy linalg.svd",
        "peer-cart-torch": "peer_merge.py cart, torch.linalg.svd",
    }
    ck = a.ckpt_bytes
    L = []
    L.append("TauLab merge-engine benchmark (bench/run-merge-bench.sh)")
    L.append("=" * 72)
    L += meta_lines(a.meta)
    L.append(f"{'inputs':10s} synthetic OpenCLIP ViT-B/32 visual tower (bench/gen_vitb32.py): base + 8 fine-tuned,")
    L.append(f"{'':10s} 152 float32 tensors, 87,849,216 parameters, {ck:,} bytes ({ck / 2**20:.1f} MiB) per file")
    L.append(f"{'method':10s} {a.reps} round(s) for task arithmetic, {a.cart_reps if a.cart else 0} for CART; configurations "
             "interleaved, order rotated per round;")
    L.append(f"{'':10s} wall time and peak RSS from /usr/bin/time -v; page cache warm; sync before each run; medians")
    L.append("")
    L.append(f"{'configuration':17s} {'median s':>9s} {'min s':>7s} {'max s':>7s} {'peak RSS MiB':>13s}  "
             f"{'all runs (s)':s}")
    for lab in order:
        if lab not in runs:
            continue
        r = runs[lab]
        walls = [x[1] for x in sorted(r)]
        L.append(f"{lab:17s} {med(lab):9.2f} {min(walls):7.2f} {max(walls):7.2f} {med(lab, 2) / 1024:13.1f}  "
                 f"{' '.join(f'{w:.2f}' for w in walls)}")
    L.append("")
    for lab in order:
        if lab in runs:
            L.append(f"  {lab:17s} {what[lab]}")
    L.append("")

    def peer(prefix):
        c = [(med(f"{prefix}-{be}"), be) for be in ("numpy", "torch") if med(f"{prefix}-{be}") is not None]
        return min(c) if c else (None, None)

    rows = []
    verdicts = []
    ta_peer, ta_be = peer("peer-ta")
    jt = med("java-ta")
    if jt is not None and ta_peer:
        x = jt / ta_peer
        rows.append(("TA java / peer", f"{x:.2f}", f"peer = {ta_be}", "<= 1.00", x <= 1.0))
    mc = med("memcopy")
    if jt is not None and mc:
        x = jt / mc
        rows.append(("TA java / memcopy bound", f"{x:.2f}", f"bound {mc:.2f} s", "<= 2.00", x <= 2.0))
    if a.cart:
        cp, cbe = peer("peer-cart")
        jc = med("java-cart")
        if jc is not None and cp:
            x = jc / cp
            rows.append(("CART java / peer", f"{x:.2f}", f"peer = {cbe}", "<= 1.00", x <= 1.0))
    if jt is not None:
        rss = med("java-ta", 2) * 1024
        x = rss / ck
        rows.append(("TA java peak RSS / checkpoint", f"{x:.2f}", f"{rss / 2**20:.0f} MiB", "<= ~3", x <= 3.0))
    L.append(f"{'ratio (medians)':31s} {'value':>6s}  {'':18s} {'target':8s} verdict")
    for name, val, note, target, ok in rows:
        L.append(f"{name:31s} {val:>6s}  {note:18s} {target:8s} {'PASS' if ok else 'MISS'}")
        verdicts.append(ok)
    if jt is not None and mc:
        # The bound swings between two speeds on some VMs (how fast freshly written pages come), so the
        # ratio of each round's pair is shown too: it says how much the medians' ratio depends on that.
        ta_by_round = {r: w for r, w, _ in runs["java-ta"]}
        mc_by_round = {r: w for r, w, _ in runs["memcopy"]}
        paired = [ta_by_round[r] / mc_by_round[r] for r in sorted(ta_by_round) if r in mc_by_round]
        L.append(f"{'':31s} round by round (same round's bound): {' '.join(f'{x:.2f}' for x in paired)}")
    L.append("")
    L.append("output check (bench/compare.py: per tensor max|a-b| / max|b| <= 1e-4; also shown relative to the")
    L.append("merge delta max|b-base|, for information):")
    with open(a.compare) as f:
        for line in f:
            L.append("  " + line.rstrip("\n"))
    L.append(f"outputs equal: {'yes' if a.compare_ok == '1' else 'NO'}")
    L += run_notes(busy, builds)
    write_results(a.results, L)
    return 0


if __name__ == "__main__":
    sys.exit(main())
