#!/usr/bin/python3
"""Numpy peer of the newer `bin/taulab merge` methods, for bench/run-newer-merges-bench.sh.

    /usr/bin/python3 bench/peer_newer.py METHOD --base PRE --out OUT [options] FT1 FT2 ...

Written from the methods' definitions (the Javadoc of dsl/.../merge/*Merge.java and the papers), not from
the Java code, so that agreement is an independent check. Notation: tau_t = theta_t - theta_pre (float32),
T tasks; "selected matrix" = a 2-D tensor whose name matches --select (default: contains attn or mlp);
"mean" = (1/T) sum_t tau_t. Every method writes theta = theta_pre + Delta with Delta as below.

METHOD
  iso-c        selected: M = sum_t tau_t = U S V^T, Delta = lam * mean(S) * U V^T; other tensors lam * mean.
               (--lambda, default 1.0)
  iso-cts      selected (m x n, r = min(m, n)): M = U S V^T as above; s = round-half-up((r - floor(c r)) / T),
               lowered until s T <= r; the top k = r - s T triplets of M are the common subspace; task t adds
               the top s triplets of (I - U_k U_k^T) tau_t. L = [U_k | task left vectors] (m x r),
               R = [V_k | task right vectors] (n x r); Delta = lam * sigma_bar * polar(L) polar(R)^T with
               sigma_bar the mean of the r singular values gathered and polar(A) = P Q^T for A = P S Q^T.
               Other tensors lam * mean. (--lambda 1.0, --common c 0.8)
  breadcrumbs  every float tensor, every task: rank the n entries of tau_t by |value| (largest first, equal
               magnitudes in tensor order); drop ranks < floor(beta n), keep the next ceil(density n), zero
               the rest; Delta = lam * sum_t (kept tau_t). (--density 0.1, --beta 0.01, --lambda 0.3)
  magmax       every float tensor: per entry the tau_t of largest |value| (the earliest task on a tie);
               Delta = lam * that. (--lambda 1.0)
  emr          gamma = sign(sum_t tau_t) (sum in float64); eps = per entry the largest |tau_t| among tasks with
               sign(tau_t) = gamma (0 where gamma = 0); tau_uni = gamma eps. For the task named by --task
               (a fine-tuned file's stem): mask M = [sign(tau_task) = sign(tau_uni) != 0], rescaler
               lam_t = sum|tau_task| / sum|M tau_uni|, both sums over all float tensors (a first pass);
               Delta = lam * lam_t * M tau_uni. (--task required, --lambda 1.0)
  wudi         (--exact only: the closed form) selected (m x n): w_t = 1/||tau_t||_F^2, G = sum_t w_t tau_t^T
               tau_t (n x n), X = sum_t w_t tau_t tau_t^T tau_t (m x n), tau_0 = sum_t tau_t. With G = Q E Q^T
               (numpy eigh, float64) and "range" = eigenvalues > 1e-10 * max|E|:
               tau_m = X Q_r E_r^-1 Q_r^T + tau_0 (I - Q_r Q_r^T), the minimiser of
               sum_t w_t ||(tau - tau_t) tau_t^T||^2 nearest tau_0; Delta = lam * tau_m. Other tensors
               lam * mean. (--lambda 1.0)

Precision: inputs and outputs float32. By default the SVDs (LAPACK gesdd through numpy) and WUDI's Gram
products are float32, like the Java engine's, so that the timings compare like with like; WUDI's
eigendecomposition and its final products are float64. --f64 does all the linear algebra in float64 (slower,
an accuracy reference: it tells conditioning apart from a real disagreement).

Streaming: inputs are memory-mapped, one output tensor is computed and written at a time, the input pages
of a finished tensor are dropped from the mapping (bench/safetensors_np.py). Non-float tensors are copied
from the base. The output is written to OUT.tmp and renamed.
"""
import math
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_np import SafetensorsFile  # noqa: E402
from benchlib import DEFAULT_SELECT, FLOAT_CODES, check_inputs, merge_arg_parser, open_output  # noqa: E402

import numpy as np  # noqa: E402

METHODS = ["iso-c", "iso-cts", "breadcrumbs", "magmax", "emr", "wudi"]


def stem(path):
    b = os.path.basename(path)
    return b[:-len(".safetensors")] if b.endswith(".safetensors") else os.path.splitext(b)[0]


class Inputs:
    """The base and the fine-tuned files; tau(name) gives the T task vectors of one tensor (float32)."""

    def __init__(self, base_path, ft_paths):
        self.base = SafetensorsFile(base_path)
        self.fts = [SafetensorsFile(p) for p in ft_paths]
        check_inputs(self.base, self.fts)
        self.names = self.base.names

    def is_float(self, name):
        return self.base.dtype(name) in FLOAT_CODES

    def pre(self, name):
        return self.base.get(name).astype(np.float32, copy=False)

    def tau(self, name, t):
        return np.subtract(self.fts[t].get(name), self.pre(name), dtype=np.float32)

    def taus(self, name):
        return [self.tau(name, t) for t in range(len(self.fts))]

    def release(self, name):
        for f in [self.base] + self.fts:
            f.release(name)


# ----------------------------------------------------------------------------------------- linear algebra

def thin_svd(a, f64):
    u, s, vt = np.linalg.svd(a.astype(np.float64) if f64 else a, full_matrices=False)
    return u, s, vt


def polar(a, f64):
    """The orthogonal polar factor P Q^T of a (tall or square) matrix a = P S Q^T."""
    p, _, qt = thin_svd(a, f64)
    return p @ qt


def iso_c_matrix(m_sum, f64):
    u, s, vt = thin_svd(m_sum, f64)
    return (np.float64(s.mean()) * (u @ vt)) if f64 else (np.float32(s.mean()) * (u @ vt))


def per_task_count(r, tasks, c):
    """Directions per task: (r - floor(c r)) / T rounded half up, but never more than r in total."""
    common_dims = math.floor(c * r + 1e-9)  # 1e-9: c*r that is a whole number in decimal stays whole
    s = math.floor((r - common_dims) / tasks + 0.5)
    return max(0, min(s, r // tasks))


def iso_cts_matrix(taus, c, f64):
    m_sum = taus[0].astype(np.float64) if f64 else taus[0].copy()
    for x in taus[1:]:
        m_sum += x
    rows, cols = m_sum.shape
    u, sv, vt = thin_svd(m_sum, f64)
    r = min(rows, cols)
    T = len(taus)
    s = per_task_count(r, T, c)
    k = r - s * T
    lefts = [u[:, :k]]
    rights = [vt[:k].T]
    sigmas = [sv[:k]]
    uk = u[:, :k]
    if s > 0:
        for x in taus:
            x = x.astype(np.float64) if f64 else x
            off = x - uk @ (uk.T @ x) if k > 0 else x
            ut, st, vtt = thin_svd(off, f64)
            lefts.append(ut[:, :s])
            rights.append(vtt[:s].T)
            sigmas.append(st[:s])
    big_l = np.concatenate(lefts, axis=1)
    big_r = np.concatenate(rights, axis=1)
    sigma_bar = float(np.concatenate(sigmas).astype(np.float64).sum()) / max(1, r)
    out = polar(big_l, f64) @ polar(big_r, f64).T
    out *= sigma_bar
    return out


def wudi_exact_matrix(taus, f64):
    rows, cols = taus[0].shape
    wt = np.float64 if f64 else np.float32
    g = np.zeros((cols, cols), dtype=wt)
    x_acc = np.zeros((rows, cols), dtype=wt)
    tau0 = np.zeros((rows, cols), dtype=np.float64)
    for tau in taus:
        tau0 += tau
        sq = float(np.dot(tau.ravel().astype(np.float64), tau.ravel().astype(np.float64)))
        if sq == 0.0:
            continue
        w = 1.0 / sq
        tw = tau.astype(wt, copy=False)
        gram = tw.T @ tw                      # tau^T tau, n x n
        g += wt(w) * gram
        x_acc += wt(w) * (tw @ gram)          # tau tau^T tau
    e, q = np.linalg.eigh(g.astype(np.float64))
    keep = e > 1e-10 * np.max(np.abs(e)) if e.size else e.astype(bool)
    qr = q[:, keep]
    x64 = x_acc.astype(np.float64)
    # tau_m = X G^+ + tau0 (I - P),  G^+ = Q_r E_r^-1 Q_r^T,  P = Q_r Q_r^T
    tau_m = ((x64 @ qr) / e[keep]) @ qr.T
    tau_m += tau0
    tau_m -= (tau0 @ qr) @ qr.T
    return tau_m


# ----------------------------------------------------------------------------------------- breadcrumbs

def crumbs(x, density, beta):
    """Entries of x whose magnitude rank (0 = largest; equal magnitudes ranked in tensor order) lies in
    [floor(beta n), floor(beta n) + ceil(density n)); the others zero.

    Found without a full sort: two order statistics (np.partition) bound the kept band; entries strictly
    inside it are kept; for an entry whose magnitude equals a bound, its rank is (number of larger
    magnitudes) + (its index among the equal ones, in tensor order)."""
    flat = x.ravel()
    n = flat.size
    top = math.floor(beta * n + 1e-9)
    keep = min(n - top, math.ceil(density * n - 1e-9))
    out = np.zeros_like(flat)
    if keep <= 0 or n == 0:
        return out.reshape(x.shape)
    mag = np.abs(flat)
    lo_i, hi_i = n - top - keep, n - 1 - top  # ascending positions of the smallest / largest kept magnitude
    part = np.partition(mag, [lo_i, hi_i])
    low, high = part[lo_i], part[hi_i]
    mask = (mag > low) & (mag < high)
    for v in {float(low), float(high)}:
        eq = mag == np.float32(v)
        idx = np.flatnonzero(eq)
        rank = int(np.count_nonzero(mag > np.float32(v))) + np.arange(idx.size)
        mask[idx[(rank >= top) & (rank < top + keep)]] = True
    out[mask] = flat[mask]
    return out.reshape(x.shape)


def crumbs_by_sort(x, density, beta):
    """The same selection by a full stable sort (slow; used by --self-test)."""
    flat = x.ravel()
    n = flat.size
    top = math.floor(beta * n + 1e-9)
    keep = min(n - top, math.ceil(density * n - 1e-9))
    out = np.zeros_like(flat)
    if keep > 0:
        order = np.argsort(-np.abs(flat).astype(np.float64), kind="stable")
        sel = order[top:top + keep]
        out[sel] = flat[sel]
    return out.reshape(x.shape)


# ----------------------------------------------------------------------------------------- EMR

def emr_unified(taus):
    """tau_uni: sign of the sum (float64) times the largest magnitude among the entries with that sign."""
    total = np.zeros(taus[0].shape, dtype=np.float64)
    pos = np.zeros(taus[0].shape, dtype=np.float32)
    neg = np.zeros(taus[0].shape, dtype=np.float32)
    for x in taus:
        total += x
        np.maximum(pos, x, out=pos)   # largest positive entry (0 if none)
        np.minimum(neg, x, out=neg)   # most negative entry (0 if none)
    return np.where(total > 0, pos, np.where(total < 0, neg, np.float32(0)))


def emr_mask(tau, uni):
    return (np.sign(tau) == np.sign(uni)) & (uni != 0)


# ----------------------------------------------------------------------------------------- main

def run(method, a, inp, w):
    T = len(inp.fts)
    select = re.compile(a.select)
    f64 = a.f64
    lam = a.lam

    emr_scale = None
    if method == "emr":
        stems = [stem(p) for p in a.finetuned]
        if a.task is None or a.task not in stems:
            raise SystemExit(f"emr needs --task, one of: {', '.join(stems)}")
        ti = stems.index(a.task)
        own = kept = 0.0
        for name in inp.names:
            if not inp.is_float(name):
                continue
            taus = inp.taus(name)
            uni = emr_unified(taus)
            own += float(np.abs(taus[ti]).sum(dtype=np.float64))
            kept += float(np.abs(uni[emr_mask(taus[ti], uni)]).sum(dtype=np.float64))
            inp.release(name)
        emr_scale = lam * (own / kept if kept != 0 else 0.0)

    for name in inp.names:
        if not inp.is_float(name):
            w.write(name, inp.base.get(name))
            inp.release(name)
            continue
        pre = inp.pre(name)
        shape = pre.shape
        selected = len(shape) == 2 and select.search(name) is not None
        if method in ("iso-c", "iso-cts", "wudi"):
            taus = inp.taus(name)
            if selected:
                if method == "iso-c":
                    m_sum = taus[0].astype(np.float64) if f64 else taus[0].copy()
                    for x in taus[1:]:
                        m_sum += x
                    delta = iso_c_matrix(m_sum, f64)
                elif method == "iso-cts":
                    delta = iso_cts_matrix(taus, a.common, f64)
                else:
                    delta = wudi_exact_matrix(taus, f64)
            else:
                delta = np.sum(np.stack(taus), axis=0, dtype=np.float32) / np.float32(T)
            delta = np.asarray(delta, dtype=np.float64 if f64 else np.float32) * lam
        elif method == "breadcrumbs":
            delta = np.zeros(shape, dtype=np.float32)
            for t in range(T):
                delta += crumbs(inp.tau(name, t), a.density, a.beta)
            delta *= np.float32(lam)
        elif method == "magmax":
            best = inp.tau(name, 0)
            for t in range(1, T):
                x = inp.tau(name, t)
                bigger = np.abs(x) > np.abs(best)
                best[bigger] = x[bigger]
            delta = best * np.float32(lam)
        elif method == "emr":
            taus = inp.taus(name)
            uni = emr_unified(taus)
            delta = np.where(emr_mask(taus[ti], uni), uni.astype(np.float64) * emr_scale, 0.0)
        else:
            raise SystemExit(f"unknown method {method}")
        out = (np.asarray(delta).astype(np.float32) + pre).astype(np.float32)
        w.write(name, out)
        inp.release(name)


def self_test():
    g = np.random.default_rng(1)
    for n in [1, 2, 7, 10, 100, 1001]:
        for trial in range(20):
            # few distinct magnitudes and both signs, so that ties at the band's edges are common
            x = (g.integers(-4, 5, size=n) * 0.25).astype(np.float32)
            for d, b in [(0.1, 0.01), (0.5, 0.2), (1.0, 0.0), (0.3, 0.3), (0.05, 0.9)]:
                got, want = crumbs(x, d, b), crumbs_by_sort(x, d, b)
                if not np.array_equal(got, want):
                    raise SystemExit(f"self-test: crumbs differs from the sorted reference (n={n}, d={d}, b={b})")
    assert per_task_count(64, 8, 0.8) == 2 and per_task_count(768, 8, 0.8) == 19 and per_task_count(4, 8, 0.8) == 0
    print("peer_newer self-test: OK")
    return 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    ap = merge_arg_parser(__doc__, METHODS)
    ap.add_argument("--common", type=float, default=0.8, help="iso-cts common fraction c")
    ap.add_argument("--density", type=float, default=0.1, help="breadcrumbs d")
    ap.add_argument("--beta", type=float, default=0.01, help="breadcrumbs beta")
    ap.add_argument("--task", default=None, help="emr: the task (fine-tuned file stem) whose model to write")
    ap.add_argument("--exact", action="store_true", help="wudi: the closed form (the only form this peer has)")
    ap.add_argument("--select", default=DEFAULT_SELECT, help="regex on 2-D tensor names, default attn|mlp")
    ap.add_argument("--f64", action="store_true", help="all linear algebra in float64 (accuracy reference)")
    ap.add_argument("--timings", action="store_true", help="in-process time on stderr")
    a = ap.parse_args()
    if a.method == "wudi" and not a.exact:
        raise SystemExit("peer_newer: wudi is only implemented as the closed form; pass --exact")
    if a.method == "breadcrumbs" and not (a.density > 0 and a.beta < 1):
        raise SystemExit("peer_newer: breadcrumbs needs density > 0 and beta < 1")
    if a.lam is None:
        a.lam = 0.3 if a.method == "breadcrumbs" else 1.0

    t0 = time.perf_counter()
    inp = Inputs(a.base, a.finetuned)
    w = open_output(a.out, inp.base, f"peer_newer.py {a.method}")
    run(a.method, a, inp, w)
    w.close()
    if a.timings:
        print(f"peer_newer {a.method}: {time.perf_counter() - t0:.2f} s in process", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
