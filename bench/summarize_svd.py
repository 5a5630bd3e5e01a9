#!/usr/bin/python3
"""Helper of bench/run-svd-bench.sh: the Frobenius check, and the results table from the raw timings.

    summarize_svd.py --frob A.safetensors B.safetensors [--base PRE.safetensors] [--select REGEX]
        per tensor ||A - B||_F / ||B||_F and (with --base) ||A - B||_F / ||B - PRE||_F, in float64; prints the
        worst of each over all tensors and over the selected matrices (2-D, name matching REGEX, default
        attn|mlp) on one line; always exits 0 (information, no verdict)
    summarize_svd.py --raw RAW.tsv --compare COMPARE.txt --passes PASSES.tsv --results OUT.txt --reps N
                     --exact-reps N --methods a,b,... [--meta key=value ...] [--params "method=options;..."]
                     [--drtol-info X]

RAW.tsv lines: method, configuration, round, wall seconds, peak RSS (KiB), % CPU used by others before the run,
bin/taulab build stamp (- when TAULAB is not bin/taulab, and for the peers).
COMPARE.txt: per pair a header "PAIR METHOD KIND A vs B (TOLERANCES):" (KIND truncation|exact), then
bench/compare.py's output, this script's --frob line, and "exit=N" (compare.py's exit status).
PASSES.tsv lines: method, round, the "peer_svd krylov: ..." line of the randomized peer's stderr.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (DEFAULT_SELECT, NUM, meta_lines, median_of, parse_params, parse_reports,  # noqa: E402
                      read_raw, run_notes, write_results)


def frob(a_path, b_path, base_path, select):
    from safetensors_np import SafetensorsFile
    import numpy as np
    fa, fb = SafetensorsFile(a_path), SafetensorsFile(b_path)
    fp = SafetensorsFile(base_path) if base_path else None
    sel = re.compile(select)
    worst = {"all": (0.0, "-"), "sel": (0.0, "-"), "all_d": (0.0, "-"), "sel_d": (0.0, "-")}
    for n in fb.names:
        if n not in fa.header or fa.shape(n) != fb.shape(n):
            print(f"frob: {n} missing or of another shape in {a_path}")
            return 0
        a = fa.get(n).astype(np.float64)
        b = fb.get(n).astype(np.float64)
        diff = float(np.linalg.norm(a - b))
        nb = float(np.linalg.norm(b))
        rel = diff / nb if nb > 0 else (0.0 if diff == 0 else float("inf"))
        is_sel = b.ndim == 2 and sel.search(n) is not None
        keys = ["all"] + (["sel"] if is_sel else [])
        for k in keys:
            if rel > worst[k][0]:
                worst[k] = (rel, n)
        if fp is not None and n in fp.header and fp.shape(n) == fb.shape(n):
            nd = float(np.linalg.norm(b - fp.get(n).astype(np.float64)))
            rd = diff / nd if nd > 0 else (0.0 if diff == 0 else float("inf"))
            for k in keys:
                if rd > worst[k + "_d"][0]:
                    worst[k + "_d"] = (rd, n)
            fp.release(n)
        fa.release(n)
        fb.release(n)
    msg = (f"frob: worst ||a-b||_F/||b||_F = {worst['all'][0]:.3e} ({worst['all'][1]}), selected matrices "
           f"{worst['sel'][0]:.3e}")
    if fp is not None:
        msg += (f"; worst ||a-b||_F/||b-base||_F = {worst['all_d'][0]:.3e} ({worst['all_d'][1]}), selected "
                f"matrices {worst['sel_d'][0]:.3e}")
    print(msg)
    return 0


def parse_compare(path):
    """list of dicts: method, kind, pair, tol, rel, drel, frob, frob_d, ok, lines."""
    def frob_figures(line, cur):  # this script's --frob line
        m = re.search(r"worst \|\|a-b\|\|_F/\|\|b\|\|_F = " + NUM, line)
        if m:
            cur["frob"] = float(m.group(1))
        m = re.search(r"worst \|\|a-b\|\|_F/\|\|b-base\|\|_F = " + NUM + r" \([^)]*\), selected matrices " + NUM,
                      line)
        if m:
            cur["frob_d"] = float(m.group(2))
    return parse_reports(path, r"^PAIR (\S+) (\S+) (.*) \(([^)]*)\):$",
                         lambda m: {"method": m.group(1), "kind": m.group(2), "pair": m.group(3), "tol": m.group(4),
                                    "frob": None, "frob_d": None},
                         frob_figures)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--frob":
        ap = argparse.ArgumentParser(prog="summarize_svd.py --frob")
        ap.add_argument("a")
        ap.add_argument("b")
        ap.add_argument("--base")
        ap.add_argument("--select", default=DEFAULT_SELECT)
        a = ap.parse_args(sys.argv[2:])
        return frob(a.a, a.b, a.base, a.select)

    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--compare", required=True)
    ap.add_argument("--passes", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--exact-reps", type=int, required=True)
    ap.add_argument("--methods", required=True)
    ap.add_argument("--drtol-info", type=float, default=1e-2)
    ap.add_argument("--meta", action="append", default=[])
    ap.add_argument("--params", default="")
    a = ap.parse_args()
    methods = [m for m in a.methods.split(",") if m]

    runs, busy, builds = {}, {}, {}
    for method, cfg, rnd, wall, rss, b, build in read_raw(a.raw):
        runs.setdefault(cfg, []).append((int(rnd), float(wall), int(rss)))
        busy.setdefault(cfg, []).append(int(b))
        if build != "-":
            builds.setdefault(build, []).append(f"{cfg}#{rnd}")
    passes = {}
    if os.path.exists(a.passes):
        with open(a.passes) as f:
            for line in f:
                if line.strip():
                    method, rnd, text = line.rstrip("\n").split("\t", 2)
                    passes.setdefault(method, []).append((int(rnd), text))
    pairs = parse_compare(a.compare)
    params = parse_params(a.params)

    def med(cfg, i=1):
        return median_of(runs, cfg, i)

    def configs(m):
        return [f"java-{m}", f"java-{m}-exact", f"peer-{m}-numpy", f"peer-{m}-torch", f"peer-{m}-rsvd"]

    L = ["TauLab truncated-SVD merges vs Python peers (bench/run-svd-bench.sh)", "=" * 78]
    L += meta_lines(a.meta)
    L.append(f"{'method':10s} per merge method, rounds of its configurations interleaved (order rotated per round):")
    L.append(f"{'':10s} {a.reps} round(s) of the fast ones (java-M with TauLab's default --svd, peer-M-rsvd), "
             f"{a.exact_reps} of the exact")
    L.append(f"{'':10s} ones (java-M-exact, peer-M-numpy, peer-M-torch); wall time and peak RSS from /usr/bin/time -v")
    L.append(f"{'':10s} (whole process); page cache warm; sync before each run; medians")
    L.append("")
    L.append(f"{'configuration':22s} {'median s':>9s} {'min s':>8s} {'max s':>8s} {'peak RSS MiB':>13s}  all runs (s)")
    for m in methods:
        for cfg in configs(m):
            if cfg not in runs:
                continue
            walls = [x[1] for x in sorted(runs[cfg])]
            L.append(f"{cfg:22s} {med(cfg):9.2f} {min(walls):8.2f} {max(walls):8.2f} {med(cfg, 2) / 1024:13.1f}  "
                     + " ".join(f"{w:.2f}" for w in walls))
    L.append("")
    for m in methods:
        p = params.get(m, "?")
        what = [f"bin/taulab merge {m} {p} (TauLab's default --svd: auto)",
                f"bin/taulab merge {m} {p} --svd exact",
                f"peer_svd.py {m} {p} --svd exact --backend numpy (np.linalg.svd)",
                f"peer_svd.py {m} {p} --svd exact --backend torch (torch.linalg.svd)",
                f"peer_svd.py {m} {p} --svd randomized --backend numpy (TruncatedSvd's algorithm)"]
        for cfg, text in zip(configs(m), what):
            if cfg in runs:
                L.append(f"  {cfg:21s} {text}")
    L.append("")

    verdicts = []
    L.append(f"{'ratio (medians)':36s} {'value':>6s}  {'':22s} {'target':8s} verdict")

    def target_row(m, what, x, note, limit):
        """A ratio with a target: a verdict for CART (the targets are CART's), information for the others."""
        gate = m == "cart"
        ok = x <= limit
        L.append(f"{m + ' ' + what:36s} {x:6.3f}  {note:22s} "
                 f"{f'<= {limit:.2f}' if gate else 'info':8s} {('PASS' if ok else 'MISS') if gate else '-'}")
        if gate:
            verdicts.append(ok)

    for m in methods:
        j, je = med(f"java-{m}"), med(f"java-{m}-exact")
        exact_peers = [(med(f"peer-{m}-{be}"), be) for be in ("numpy", "torch") if med(f"peer-{m}-{be}") is not None]
        rs = med(f"peer-{m}-rsvd")
        if j is not None and exact_peers:
            pe, be = min(exact_peers)
            target_row(m, "java / faster exact peer", j / pe, f"peer = {be} {pe:.2f} s", 0.20)
        if j is not None and rs:
            target_row(m, "java / peer rsvd", j / rs, f"peer {rs:.2f} s", 1.00)
        if j is not None and je:
            L.append(f"{m + ' java / java exact':36s} {j / je:6.3f}  {f'exact {je:.2f} s':22s} {'info':8s} -")
    if verdicts:
        L.append(f"CART targets met: {'yes' if all(verdicts) else 'NO'}")
    L.append("")
    if passes:
        L.append("Krylov blocks of the randomized peer (TruncatedSvd's stopping rule; same on every round):")
        for m in methods:
            seen = sorted(set(t for _, t in passes.get(m, [])))
            for t in seen:
                L.append(f"  {m}: {t.replace('peer_svd krylov: ', '')}")
        L.append("")

    L.append("agreement (bench/compare.py per tensor, worst over tensors: max|a-b| / max|b| <= rtol 1e-4 for every")
    L.append(f"pair; max|a-b| / max|b-base| must be <= 1e-3 for exact-vs-exact pairs, is information for pairs")
    L.append(f"involving a truncated SVD and for exact-bulk pairs (tsvm: its k reaches into the noise bulk, where")
    L.append(f"two exact SVDs pick different directions), flagged when > {a.drtol_info:g}. Per tensor Frobenius, worst")
    L.append("over tensors:")
    L.append("F/|b| = ||a-b||_F / ||b||_F, F/delta = ||a-b||_F / ||b-base||_F (selected matrices); information):")
    L.append(f"  {'method':11s} {'pair':46s} {'kind':10s} {'max/max|b|':>10s} {'max/delta':>10s} {'F/|b|':>8s} "
             f"{'F/delta':>8s}  verdict")
    all_ok = True
    for p in pairs:
        all_ok &= p["ok"]

        def e(x):
            return f"{x:.1e}" if x is not None else "-"
        note = "OK" if p["ok"] else "DIFFER"
        if p["kind"] in ("truncation", "exact-bulk") and p["drel"] is not None and p["drel"] > a.drtol_info:
            note += f" (delta > {a.drtol_info:g}: info)"
        L.append(f"  {p['method']:11s} {p['pair']:46s} {p['kind']:10s} {e(p['rel']):>10s} {e(p['drel']):>10s} "
                 f"{e(p['frob']):>8s} {e(p['frob_d']):>8s}  {note}")
    L.append("")
    L.append("compare.py / Frobenius output:")
    for p in pairs:
        L.append(f"  {p['method']} {p['pair']} ({p['tol']}):")
        for line in p["lines"]:
            L.append("    " + line.strip())
    L.append(f"outputs agree: {'yes' if all_ok and pairs else ('NO' if pairs else 'not checked')}")
    L += run_notes(busy, builds)
    write_results(a.results, L)
    return 0


if __name__ == "__main__":
    sys.exit(main())
