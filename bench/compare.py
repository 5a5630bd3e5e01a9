#!/usr/bin/python3
"""Check that two safetensors files hold the same tensors up to a relative tolerance.

    /usr/bin/python3 bench/compare.py A.safetensors B.safetensors [--rtol 1e-4] [--base PRE.safetensors]

Criterion, per tensor (B is the reference):   max|A - B| / max|B|  <=  rtol      (default 1e-4)
(when max|B| is 0 the denominator is 1, i.e. an absolute check). Both files must have the same tensor
names and shapes; dtypes may differ (values are compared in float64). Tensor order is not compared.

With --base, it also reports the same error measured against the size of the *change*,
max|A - B| / max|B - PRE|, for information only (it does not affect the exit status): a merged tensor
is dominated by the pretrained weights, so this shows how much of the merge delta itself differs.
With --delta-rtol X as well, that second ratio must also be <= X for the tensor to pass (it needs --base).

Exit status: 0 when every tensor passes, 1 otherwise (the worst tensors are listed), 2 on bad input.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_np import SafetensorsFile  # noqa: E402

import numpy as np  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b", help="reference")
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--base", help="pretrained weights, to also report error relative to the merge delta")
    ap.add_argument("--delta-rtol", type=float, default=None,
                    help="also fail a tensor whose max|a-b| / max|b-base| exceeds this (needs --base)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.delta_rtol is not None and not args.base:
        print("compare: --delta-rtol needs --base", file=sys.stderr)
        return 2

    try:
        fa, fb = SafetensorsFile(args.a), SafetensorsFile(args.b)
        fp = SafetensorsFile(args.base) if args.base else None
    except (OSError, ValueError) as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    na, nb = set(fa.names), set(fb.names)
    if na != nb:
        print(f"compare: FAIL tensor names differ: only in {args.a}: {sorted(na - nb)[:5]}, "
              f"only in {args.b}: {sorted(nb - na)[:5]}")
        return 1
    rows = []
    bad_shape = []
    for n in fb.names:
        if fa.shape(n) != fb.shape(n):
            bad_shape.append(f"{n}: {fa.shape(n)} vs {fb.shape(n)}")
            continue
        a = fa.get(n).astype(np.float64)
        b = fb.get(n).astype(np.float64)
        diff = float(np.max(np.abs(a - b))) if a.size else 0.0
        scale = float(np.max(np.abs(b))) if b.size else 0.0
        rel = diff / (scale if scale > 0 else 1.0)
        rel_delta = None
        if fp is not None and n in fp.header and fp.shape(n) == fb.shape(n):
            d = float(np.max(np.abs(b - fp.get(n).astype(np.float64)))) if b.size else 0.0
            rel_delta = diff / d if d > 0 else (0.0 if diff == 0 else float("inf"))
        if not np.isfinite(a).all():
            rel = float("inf")
        rows.append((rel, n, diff, scale, rel_delta))
        for f in (fa, fb) + ((fp,) if fp else ()):
            f.release(n)
    if bad_shape:
        print(f"compare: FAIL shapes differ: {bad_shape[:5]}")
        return 1
    rows.sort(reverse=True)
    worst = rows[0] if rows else (0.0, "-", 0.0, 0.0, None)
    failed = [r for r in rows if not (r[0] <= args.rtol)
              or (args.delta_rtol is not None and r[4] is not None and not (r[4] <= args.delta_rtol))]
    msg = (f"compare: {'OK' if not failed else 'FAIL'} {len(rows)} tensors, "
           f"worst max|a-b|/max|b| = {worst[0]:.3e} ({worst[1]}) vs rtol {args.rtol:g}")
    if fp is not None:
        deltas = [(r[4], r[1]) for r in rows if r[4] is not None]
        if deltas:
            wd = max(deltas)
            msg += f"; worst max|a-b|/max|b-base| = {wd[0]:.3e}"
            if args.delta_rtol is not None:
                msg += f" ({wd[1]}) vs delta-rtol {args.delta_rtol:g}"
    print(msg)
    if failed or not args.quiet:
        for rel, n, diff, scale, rd in (failed or rows)[:8 if failed else 3]:
            extra = f", rel to delta {rd:.3e}" if rd is not None else ""
            print(f"    {n}: max|a-b| = {diff:.3e}, max|b| = {scale:.3e}, ratio {rel:.3e}{extra}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
