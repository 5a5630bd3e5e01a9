#!/usr/bin/python3
"""Python peer of `bin/taulab merge` for the merge benchmark (numpy or torch backend).

    /usr/bin/python3 bench/peer_merge.py METHOD --base PRE --out OUT [--lambda X] [--rank-ratio R]
                                         [--backend numpy|torch] [--threads N] FT1 FT2 ...

METHOD
  task-arithmetic   theta = theta_pre + lambda * sum_t (theta_t - theta_pre)          (lambda default 0.3)
  cart              theta_avg = mean_t theta_t ; nu_t = theta_t - theta_avg ;
                    for 2-D tensors whose name contains "attn" or "mlp":
                        theta = theta_avg + lambda * sum_t SVD_k(nu_t),  k = max(1, floor(r * min(m, n)))
                    every other tensor: theta = theta_avg                             (lambda 1.0, r 0.08)
                    SVD_k via np.linalg.svd / torch.linalg.svd (full_matrices=False; LAPACK gesdd).

Both stream tensor by tensor: inputs are memory-mapped, each output tensor is computed from the inputs'
tensors of that name and written out before the next one, and the input pages of a finished tensor are
dropped from the mapping (madvise DONTNEED), so resident memory stays at a few tensors' worth. All
arithmetic in float32, as the inputs are. Non-float tensors are copied from the base. The output is a
float32 safetensors file in the base's tensor order, written to OUT.tmp and renamed.

With --timings, a phase breakdown (read+elementwise, SVD, low-rank products, write) goes to stderr.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_np import SafetensorsFile  # noqa: E402
from benchlib import (DEFAULT_SELECT, FLOAT_CODES, Timer, check_inputs, merge_arg_parser,  # noqa: E402
                      open_output, rank_for, set_torch_threads)

import numpy as np  # noqa: E402


# ----------------------------------------------------------------------------------------- numpy

def np_task_arithmetic(base, fts, w, lam, tm):
    tmp = None
    for name in base.names:
        t0 = time.perf_counter()
        b = base.get(name)
        if base.dtype(name) not in FLOAT_CODES:
            out = b
        else:
            b = b.astype(np.float32, copy=False)
            acc = np.subtract(fts[0].get(name), b, dtype=np.float32)
            if tmp is None or tmp.size < acc.size:
                tmp = np.empty(max(acc.size, 1 << 20), dtype=np.float32)
            t_ = tmp[:acc.size].reshape(acc.shape)
            for f in fts[1:]:
                np.subtract(f.get(name), b, out=t_)
                acc += t_
            acc *= np.float32(lam)
            acc += b
            out = acc
        t1 = time.perf_counter()
        w.write(name, out.astype(np.float32, copy=False))
        for f in [base] + fts:
            f.release(name)
        tm.add("read+elementwise", t1 - t0)
        tm.add("write", time.perf_counter() - t1)


def np_cart(base, fts, w, lam, ratio, select, tm):
    T = len(fts)
    for name in base.names:
        t0 = time.perf_counter()
        if base.dtype(name) not in FLOAT_CODES:
            out = base.get(name)
            tm.add("read+elementwise", time.perf_counter() - t0)
        else:
            avg = np.array(fts[0].get(name), dtype=np.float32)
            for f in fts[1:]:
                avg += f.get(name)
            avg /= np.float32(T)
            out = avg
            shape = avg.shape
            tm.add("read+elementwise", time.perf_counter() - t0)
            if avg.ndim == 2 and select.search(name):
                k = rank_for(ratio, shape)
                low = np.zeros(shape, dtype=np.float32)
                if k > 0:
                    for f in fts:
                        ta = time.perf_counter()
                        nu = np.subtract(f.get(name), avg, dtype=np.float32)
                        tb = time.perf_counter()
                        u, s, vh = np.linalg.svd(nu, full_matrices=False)
                        tc = time.perf_counter()
                        low += (u[:, :k] * s[:k]) @ vh[:k]
                        td = time.perf_counter()
                        tm.add("read+elementwise", tb - ta)
                        tm.add("svd", tc - tb)
                        tm.add("low-rank products", td - tc)
                t0 = time.perf_counter()
                low *= np.float32(lam)
                low += avg
                out = low
                tm.add("read+elementwise", time.perf_counter() - t0)
        t1 = time.perf_counter()
        w.write(name, out.astype(np.float32, copy=False))
        for f in [base] + fts:
            f.release(name)
        tm.add("write", time.perf_counter() - t1)


# ----------------------------------------------------------------------------------------- torch

def torch_task_arithmetic(base, fts, w, lam, tm):
    import torch
    for name in base.names:
        t0 = time.perf_counter()
        b = base.get(name)
        if base.dtype(name) not in FLOAT_CODES:
            out = b
        else:
            bt = torch.from_numpy(b).to(torch.float32)
            acc = torch.sub(torch.from_numpy(fts[0].get(name)), bt)
            for f in fts[1:]:
                acc.add_(torch.from_numpy(f.get(name))).sub_(bt)
            acc.mul_(lam).add_(bt)
            out = acc.numpy()
        t1 = time.perf_counter()
        w.write(name, out)
        for f in [base] + fts:
            f.release(name)
        tm.add("read+elementwise", t1 - t0)
        tm.add("write", time.perf_counter() - t1)


def torch_cart(base, fts, w, lam, ratio, select, tm):
    import torch
    T = len(fts)
    for name in base.names:
        t0 = time.perf_counter()
        if base.dtype(name) not in FLOAT_CODES:
            out = base.get(name)
            tm.add("read+elementwise", time.perf_counter() - t0)
        else:
            avg = torch.from_numpy(fts[0].get(name)).to(torch.float32, copy=True)
            for f in fts[1:]:
                avg.add_(torch.from_numpy(f.get(name)))
            avg.div_(T)
            out_t = avg
            tm.add("read+elementwise", time.perf_counter() - t0)
            if avg.dim() == 2 and select.search(name):
                k = rank_for(ratio, tuple(avg.shape))
                low = torch.zeros_like(avg)
                if k > 0:
                    for f in fts:
                        ta = time.perf_counter()
                        nu = torch.from_numpy(f.get(name)) - avg
                        tb = time.perf_counter()
                        u, s, vh = torch.linalg.svd(nu, full_matrices=False)
                        tc = time.perf_counter()
                        low.addmm_(u[:, :k] * s[:k], vh[:k])
                        td = time.perf_counter()
                        tm.add("read+elementwise", tb - ta)
                        tm.add("svd", tc - tb)
                        tm.add("low-rank products", td - tc)
                t0 = time.perf_counter()
                low.mul_(lam).add_(avg)
                out_t = low
                tm.add("read+elementwise", time.perf_counter() - t0)
            out = out_t.numpy()
        t1 = time.perf_counter()
        w.write(name, out)
        for f in [base] + fts:
            f.release(name)
        tm.add("write", time.perf_counter() - t1)


# ------------------------------------------------------------------------------------------ main

def main():
    ap = merge_arg_parser(__doc__, ["task-arithmetic", "cart"])
    ap.add_argument("--rank-ratio", type=float, default=0.08)
    ap.add_argument("--select", default=DEFAULT_SELECT, help="regex on tensor names (CART), default attn|mlp")
    ap.add_argument("--backend", choices=["numpy", "torch"], default="numpy")
    ap.add_argument("--threads", type=int, default=os.cpu_count(),
                    help="torch intra-op threads (numpy's BLAS uses its own default: all cores)")
    ap.add_argument("--timings", action="store_true", help="phase breakdown on stderr")
    a = ap.parse_args()
    lam = a.lam if a.lam is not None else (0.3 if a.method == "task-arithmetic" else 1.0)

    t_start = time.perf_counter()
    if a.backend == "torch":
        set_torch_threads(a.threads)
    base = SafetensorsFile(a.base)
    fts = [SafetensorsFile(p) for p in a.finetuned]
    check_inputs(base, fts)
    w = open_output(a.out, base, f"peer_merge.py {a.method} {a.backend}")
    tm = Timer()
    select = re.compile(a.select)
    if a.method == "task-arithmetic":
        (torch_task_arithmetic if a.backend == "torch" else np_task_arithmetic)(base, fts, w, lam, tm)
    else:
        if a.backend == "torch":
            torch_cart(base, fts, w, lam, a.rank_ratio, select, tm)
        else:
            np_cart(base, fts, w, lam, a.rank_ratio, select, tm)
    t1 = time.perf_counter()
    w.close()
    tm.add("write", time.perf_counter() - t1)
    if a.timings:
        total = time.perf_counter() - t_start
        print(f"peer {a.method} [{a.backend}]: total {total:.2f} s in process ({tm.parts()})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
