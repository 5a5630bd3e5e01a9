#!/usr/bin/python3
"""Python peer of the `bin/taulab merge` methods that keep leading singular triplets (CART, low-rank task
arithmetic, TSV-M), with the exact SVD or TauLab's randomized truncated SVD, for bench/run-svd-bench.sh.

    /usr/bin/python3 bench/peer_svd.py METHOD --base PRE --out OUT [--svd exact|randomized|auto]
                     [--backend numpy|torch] [--rank-ratio R] [--lambda X] [--select REGEX]
                     [--block-min N] [--block-fraction F] [--tol T] [--max-blocks N]
                     [--seed S] [--rng java|numpy] [--threads N] [--timings] [--stats FILE] FT1 FT2 ...

Notation: T tasks, tau_t = theta_t - theta_pre, theta_avg = mean_t theta_t, nu_t = theta_t - theta_avg (all
float32); "selected" = a 2-D float tensor whose name matches --select (default attn|mlp, found anywhere in the
name: TauLab's Selector.defaultMatrices, "2-D float tensors whose name contains attn or mlp");
SVD_k(A) = sum_{i<=k} s_i u_i v_i^T; k = max(1, floor(R min(m, n))) (R = 0 gives k = 0).

METHOD (TauLab's name; low-rank-ta is accepted for lowrank-ta)
  cart        selected: theta = theta_avg + lam * sum_t SVD_k(nu_t); elsewhere theta_avg.  (R 0.08, lam 1.0)
  lowrank-ta  selected: theta = theta_pre + lam * sum_t SVD_k(tau_t); elsewhere theta_pre + lam * sum_t tau_t
              (dsl/.../merge/LowRankTaskArithmeticMerge.java).                            (R 0.08, lam 0.3)
  tsvm        selected (m x n): k = max(1, floor(min(m, n) / T)) triplets of every tau_t; L = [U_1k .. U_Tk]
              (m x kT), R = [V_1k .. V_Tk] (n x kT), sigma = [s_1k .. s_Tk]; L and R are replaced by their
              orthogonal polar factors P Q^T (A = P S Q^T, exact SVD) when kT <= m (resp. n), and
              Delta = polar(L) diag(sigma) polar(R)^T; elsewhere Delta = mean_t tau_t; theta = theta_pre + lam Delta.
              (lam 1.0; --rank-ratio does not apply)

--svd: how the leading k triplets are computed
  exact       the full thin SVD (np.linalg.svd / torch.linalg.svd, full_matrices=False: LAPACK gesdd), then
              its first k triplets
  randomized  TauLab's TruncatedSvd (dsl/.../linalg/TruncatedSvd.java and KrylovBasis.java), re-implemented from
              its description, wherever k < min(m, n) (TauLab's --svd truncated); the exact SVD where k = min(m, n).
              A randomized block Krylov method, on Ahat = A (m <= n) or A^T (m > n), p = min(m, n) rows:
                b = min(p, max(bmin, ceil(bfrac k)));  Omega: max(m, n) x b Gaussian;  Y = Ahat Omega
                per block: Y -= Q_i (Q_i^T Y) for every earlier block i; QR with column pivoting (LAPACK geqp3);
                  keep the leading r columns of its Q with |R_jj| > 1e-6 max_j ||Y_j|| (measured before the
                  projection); if r < c, append c - r fresh Gaussian columns (the next p (c - r) values of a
                  second stream, seed + 1) and re-orthonormalize once; then re-orthonormalize (project out of
                  the basis again, then QR, geqrf); Q_new = those c columns; W = Ahat^T Q_new; G (the Gram matrix of [W_0 .. W_j], float64) grows by W's inner products.
                  Once the width w >= k: eigenpairs of G (LAPACK syevd, float64), Z = the top-k eigenvectors,
                  s = sqrt(top-k eigenvalues); from the second estimate on, with C = Z^T Z' (Z' padded by zeros):
                  change = sqrt(sum (s - s')^2 + (sum s'^2 - ||C S'||^2) + (sum s'^2 - ||S C||^2)) / ||s||
                  (each bracket clamped at 0); stop when change <= tol, when w = p, or after max-blocks blocks;
                  otherwise Y = Ahat W.
              Result: U = [Q_0 .. Q_j] Z, V = [W_0 .. W_j] Z / s (swapped back when Ahat = A^T); the exact SVD
              instead when w never reached k, or s_k is 0 or < 1e-2 s_1, or s_1 is not finite.
              Defaults = TruncatedSvd.DEFAULT: bmin 16, bfrac 0.25, tol 1e-4, no block limit, seed 20250101.
  auto        TauLab's SvdChoice.AUTO: randomized where 4 (k + b) <= min(m, n) (b with the DEFAULT block
              settings, whatever --block-* say, as in SvdChoice), exact elsewhere

--rng java (default): Omega holds the first max(m, n)*b values of java.util.Random(seed).nextGaussian() (48-bit LCG,
Marsaglia polar method; re-implemented below, vectorised), row-major, rounded to float32 -- the test matrix
TruncatedSvd.gaussian makes, so this peer follows the same iteration as TauLab up to float rounding. The same
Omega serves every matrix of the same (max(m, n), b), as in TauLab (a fresh Random(seed) per decomposition).
--rng numpy: an independent numpy Gaussian Omega (default_rng(seed)), to see how much the choice of Omega moves
the result.

Streaming, like bench/peer_merge.py: inputs are memory-mapped, each output tensor is computed from the inputs'
tensors of that name and written before the next one, and the input pages of a finished tensor are dropped from
the mapping, so resident memory stays at a few tensors' worth. All arithmetic is float32 (the change measure's
sums aside). Non-float tensors are copied from the base. The output (float32 safetensors, the base's tensor
order) is written to OUT.tmp and renamed.

--timings: a phase breakdown on stderr and, for randomized decompositions, a line
"peer_svd krylov: N randomized decompositions (E exact, F handed to the exact SVD), blocks mean X max Y, width mean W
max V, last change max C".
--stats FILE: one TSV line per decomposition (tensor, task, m, n, k, block, method, blocks, width, last change).
"""
import argparse
import math
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_np import SafetensorsFile  # noqa: E402
from benchlib import (DEFAULT_SELECT, FLOAT_CODES, Timer, check_inputs, merge_arg_parser,  # noqa: E402
                      open_output, set_torch_threads)
from benchlib import rank_for as _rank_for  # noqa: E402

import numpy as np  # noqa: E402

METHODS = ["cart", "lowrank-ta", "tsvm"]
ALIASES = {"low-rank-ta": "lowrank-ta"}

# TruncatedSvd.DEFAULT = new Settings(16, 0.25, 1e-4, Integer.MAX_VALUE, 20250101L); SvdChoice.AUTO_FACTOR = 4
DEFAULT_BLOCK_MIN = 16
DEFAULT_BLOCK_FRACTION = 0.25
DEFAULT_TOL = 1e-4
DEFAULT_SEED = 20250101
AUTO_FACTOR = 4
BREAKDOWN = 1e-6               # KrylovBasis.BREAKDOWN
SMALLEST_RELATIVE_SIGMA = 1e-2  # TruncatedSvd.SMALLEST_RELATIVE_SIGMA


def rank_for(ratio, shape):
    """Svd.rankFor: k = max(1, floor(r min(m, n) + 1e-9)), 0 for r = 0. (The 1e-9, as in TauLab, keeps an
    r min(m, n) that is whole in decimal whole; bench/peer_merge.py's older CART floors without it.)"""
    return _rank_for(ratio, shape, eps=1e-9)


def tsvm_per_task(shape, tasks):
    """TsvmMerge.perTask: max(1, floor(min(m, n) / T))."""
    return max(1, min(shape) // tasks)


def block(k, m, n, bmin, bfrac):
    """TruncatedSvd.Settings.block: b = min(min(m, n), max(bmin, ceil(bfrac k)))."""
    return min(min(m, n), max(bmin, int(math.ceil(bfrac * k))))


# ----------------------------------------------------------------------------------------- java.util.Random

_MULT = 0x5DEECE66D
_ADD = 0xB
_MASK = (1 << 48) - 1


def _lcg_states(x0, count):
    """x_1 .. x_count of java.util.Random's LCG x_{j+1} = (a x_j + c) mod 2^48 from the scrambled seed x_0, as
    uint64, vectorised by doubling: x_{j+F} = A_F x_j + C_F with (A_F, C_F) the F-fold affine map (uint64
    products wrap mod 2^64, and 2^48 divides 2^64, so masking afterwards gives the residue mod 2^48)."""
    out = np.empty(count, dtype=np.uint64)
    first = min(count, 256)
    x = x0
    for i in range(first):
        x = (x * _MULT + _ADD) & _MASK
        out[i] = x
    a_f, c_f = 1, 0
    for _ in range(first):  # the map x -> a x + c applied `first` times
        a_f, c_f = (a_f * _MULT) & _MASK, (c_f * _MULT + _ADD) & _MASK
    filled = first
    mask = np.uint64(_MASK)
    while filled < count:
        n = min(filled, count - filled)
        out[filled:filled + n] = (out[:n] * np.uint64(a_f) + np.uint64(c_f)) & mask
        if n == filled:  # F doubled: compose the map with itself
            a_f, c_f = (a_f * a_f) & _MASK, (a_f * c_f + c_f) & _MASK
        filled += n
    return out


_LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01,
       1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01)
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10


def strict_log(x):
    """Java's StrictMath.log (fdlibm's __ieee754_log), bit for bit, for positive normal doubles, vectorised.
    nextGaussian uses it, and neither np.log nor the C library's log is fdlibm's: each differs from it by an
    ulp on a few per cent of inputs (np.log on 7424 of 200,000 here), which changes the test matrix."""
    x = np.asarray(x, dtype=np.float64)
    bits = x.view(np.uint64)
    hx = (bits >> np.uint64(32)).astype(np.int64)
    lx = bits & np.uint64(0xFFFFFFFF)
    k = (hx >> 20) - 1023
    hx = hx & 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    hi = (hx | (i ^ 0x3FF00000)).astype(np.uint64)
    xn = ((hi << np.uint64(32)) | lx).view(np.float64)
    k = k + (i >> 20)
    f = xn - 1.0
    dk = k.astype(np.float64)
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG[1] + w * (_LG[3] + w * _LG[5]))
    t2 = z * (_LG[0] + w * (_LG[2] + w * (_LG[4] + w * _LG[6])))
    r = t2 + t1
    big = ((hx - 0x6147A) | (0x6B851 - hx)) > 0
    hfsq = 0.5 * f * f
    k0 = k == 0
    out = np.where(big,
                   np.where(k0, f - (hfsq - s * (hfsq + r)), dk * _LN2_HI - ((hfsq - (s * (hfsq + r) + dk * _LN2_LO)) - f)),
                   np.where(k0, f - s * (f - r), dk * _LN2_HI - ((s * (f - r) - dk * _LN2_LO) - f)))
    tiny = (0x000FFFFF & (2 + hx)) < 3
    if np.any(tiny):
        rr = f * f * (0.5 - 0.33333333333333333 * f)
        small = np.where(f == 0.0, np.where(k0, 0.0, dk * _LN2_HI + dk * _LN2_LO),
                         np.where(k0, f - rr, dk * _LN2_HI - ((rr - dk * _LN2_LO) - f)))
        out = np.where(tiny, small, out)
    return out


def java_gaussians(seed, count):
    """The first `count` values of new java.util.Random(seed).nextGaussian(), float64.

    nextGaussian: do { v1 = 2 nextDouble() - 1; v2 = 2 nextDouble() - 1; s = v1^2 + v2^2 } while (s >= 1 || s == 0);
    m = sqrt(-2 log(s) / s); returns v1 m, then (cached) v2 m. nextDouble = ((next(26) << 27) + next(27)) 2^-53,
    next(b) = x >>> (48 - b) after one LCG step. Each attempt takes exactly 4 steps, so all attempts are computed
    at once and the accepted ones kept in order."""
    if count <= 0:
        return np.zeros(0)
    x0 = (seed ^ _MULT) & _MASK
    attempts = int(count / 2 / 0.75) + 64
    while True:
        x = _lcg_states(x0, 4 * attempts).reshape(attempts, 4)
        d1 = ((x[:, 0] >> np.uint64(22)) << np.uint64(27)) + (x[:, 1] >> np.uint64(21))
        d2 = ((x[:, 2] >> np.uint64(22)) << np.uint64(27)) + (x[:, 3] >> np.uint64(21))
        v1 = 2.0 * (d1.astype(np.float64) * 2.0 ** -53) - 1.0
        v2 = 2.0 * (d2.astype(np.float64) * 2.0 ** -53) - 1.0
        s = v1 * v1 + v2 * v2
        ok = (s < 1.0) & (s != 0.0)
        if 2 * int(np.count_nonzero(ok)) >= count:
            break
        attempts *= 2
    v1, v2, s = v1[ok], v2[ok], s[ok]
    mult = np.sqrt(-2.0 * strict_log(s) / s)
    return np.stack([v1 * mult, v2 * mult], axis=1).ravel()[:count]


_OMEGA = {}


def test_matrix(n, l, seed, rng):
    """TruncatedSvd.gaussian(n, l, seed): n x l row-major float32 (cached per shape)."""
    key = (n, l, seed, rng)
    if key not in _OMEGA:
        if rng == "java":
            _OMEGA[key] = java_gaussians(seed, n * l).astype(np.float32).reshape(n, l)
        else:
            _OMEGA[key] = np.random.default_rng(seed).standard_normal((n, l), dtype=np.float32)
    return _OMEGA[key]


# ----------------------------------------------------------------------------------------- backends

class NumpyOps:
    name = "numpy"

    @staticmethod
    def arr(x):  # an input view, as the backend's array (no copy)
        return x

    @staticmethod
    def copy(x):
        return np.array(x, dtype=np.float32)

    @staticmethod
    def numpy(x):
        return x

    @staticmethod
    def zeros(shape):
        return np.zeros(shape, dtype=np.float32)

    @staticmethod
    def sub(a, b):
        return np.subtract(a, b, dtype=np.float32)

    @staticmethod
    def svd(a):
        return np.linalg.svd(a, full_matrices=False)

    @staticmethod
    def orth(y):
        return np.linalg.qr(y)[0]

    @staticmethod
    def hcat(xs):
        return np.concatenate(xs, axis=1)

    @staticmethod
    def cat(xs):
        return np.concatenate(xs)

    @staticmethod
    def sumsq(x, w=None):
        """sum of (x_ij w_j)^2 in float64."""
        x = x.astype(np.float64)
        if w is not None:
            x *= w.astype(np.float64)
        return float(np.sum(x * x))

    @staticmethod
    def sumsq_diff(a, b):
        d = a.astype(np.float64) - b.astype(np.float64)
        return float(np.sum(d * d))


class TorchOps:
    name = "torch"

    def __init__(self):
        import torch
        self.torch = torch

    def arr(self, x):
        return self.torch.from_numpy(x)

    def copy(self, x):
        return self.torch.from_numpy(x).to(self.torch.float32, copy=True)

    @staticmethod
    def numpy(x):
        return x.numpy()

    def zeros(self, shape):
        return self.torch.zeros(shape, dtype=self.torch.float32)

    def sub(self, a, b):
        return self.torch.sub(a, b)

    def svd(self, a):
        return self.torch.linalg.svd(a, full_matrices=False)

    def orth(self, y):
        return self.torch.linalg.qr(y, mode="reduced").Q

    def hcat(self, xs):
        return self.torch.cat(xs, dim=1)

    def cat(self, xs):
        return self.torch.cat(xs)

    @staticmethod
    def sumsq(x, w=None):
        x = x.double()
        if w is not None:
            x = x * w.double()
        return float((x * x).sum())

    @staticmethod
    def sumsq_diff(a, b):
        d = a.double() - b.double()
        return float((d * d).sum())


# ----------------------------------------------------------------------------------------- decompositions

class GaussianStream:
    """Consecutive values of java.util.Random(seed).nextGaussian() (--rng java) or of numpy's generator, float32."""

    def __init__(self, seed, rng):
        self.seed, self.rng, self.used, self.values = seed, rng, 0, np.zeros(0, dtype=np.float32)

    def take(self, count):
        if self.used + count > self.values.size:
            size = max(2 * self.values.size, self.used + count, 1 << 16)
            if self.rng == "java":
                self.values = java_gaussians(self.seed, size).astype(np.float32)
            else:
                self.values = np.random.default_rng(self.seed).standard_normal(size, dtype=np.float32)
        out = self.values[self.used:self.used + count].copy()
        self.used += count
        return out


class Decomposer:
    """The leading k triplets (u m x k', s k', vt k' x n; k' >= k) of a matrix, as --svd says."""

    def __init__(self, ops, a):
        self.ops = ops
        self.choice = a.svd
        self.bmin = a.block_min
        self.bfrac = a.block_fraction
        self.tol = a.tol
        self.max_blocks = a.max_blocks
        self.seed = a.seed
        self.rng = a.rng
        self.records = []  # (name, task, m, n, k, b, method, blocks, width, change)
        if self.choice != "exact" and ops.name != "numpy":
            raise SystemExit("peer_svd: --svd randomized/auto runs on --backend numpy only")

    def truncates(self, k, m, n):
        p = min(m, n)
        if self.choice == "exact":
            return False
        if self.choice == "randomized":
            return k < p
        return k < p and (k + block(k, m, n, DEFAULT_BLOCK_MIN, DEFAULT_BLOCK_FRACTION)) * AUTO_FACTOR <= p

    def leading(self, a, k, name, task):
        m, n = a.shape
        if k == 0:
            z = self.ops.zeros
            return z((m, 0)), z((0,)), z((0, n))
        if self.truncates(k, m, n):
            u, s, vt, b, blocks, width, change, handed = self.randomized(a, k, name)
            self.records.append((name, task, m, n, k, b, "exact-fallback" if handed else "randomized",
                                 blocks, width, change))
            return u, s, vt
        u, s, vt = self.ops.svd(a)
        self.records.append((name, task, m, n, k, min(m, n), "exact", 0, min(m, n), 0.0))
        return u, s, vt

    def randomized(self, a, k, name):
        """TruncatedSvd.run (module doc): randomized block Krylov on the short side."""
        import scipy.linalg
        m, n = a.shape
        p = min(m, n)
        flipped = m > n
        ah = a.T if flipped else a                 # p x L, a view
        b = block(k, m, n, self.bmin, self.bfrac)
        y = ah @ test_matrix(max(m, n), b, self.seed, self.rng)
        qs, ws = [], []
        gram = np.zeros((0, 0))
        w64 = None
        prev = cur = None
        change = float("nan")
        blocks = width = deflated = 0
        fill = GaussianStream(self.seed + 1, self.rng)
        while True:
            c = min(y.shape[1], p - width)
            y = np.array(y[:, :c], dtype=np.float32, order="C")
            before = float(np.sqrt((y.astype(np.float64) ** 2).sum(axis=0)).max())

            def project(x):
                for qb in qs:
                    x -= qb @ (qb.T @ x)
                return x

            def reorthonormalize(x):
                return np.ascontiguousarray(np.linalg.qr(project(x))[0], dtype=np.float32)

            y = project(y)
            qf, rf, _ = scipy.linalg.qr(y, mode="economic", pivoting=True, check_finite=False)
            diag = np.abs(np.diag(rf))
            r = 0
            while r < c and diag[r] > BREAKDOWN * before:
                r += 1
            q = np.ascontiguousarray(qf[:, :r], dtype=np.float32)
            if r < c:                              # refill the deflated columns with fresh Gaussian ones
                q = reorthonormalize(np.hstack([q, fill.take(p * (c - r)).reshape(p, c - r)]))
                deflated += c - r
                r = c
            q = reorthonormalize(q)
            w = ah.T @ q                           # L x r
            wd = w.astype(np.float64)
            old = gram.shape[0]
            g = np.zeros((old + r, old + r))
            g[:old, :old] = gram
            if w64 is not None:
                cross = w64.T @ wd
                g[:old, old:] = cross
                g[old:, :old] = cross.T
            g[old:, old:] = wd.T @ wd
            gram = g
            w64 = wd if w64 is None else np.hstack([w64, wd])
            qs.append(q)
            ws.append(w)
            blocks += 1
            width += r
            if width >= k:
                vals, vecs = np.linalg.eigh(gram)      # LAPACK syevd, ascending
                z = vecs[:, ::-1][:, :k]
                sv = np.sqrt(np.maximum(vals[::-1][:k], 0))
                if not math.isfinite(sv[0]):
                    return self.exact_of(a, b, blocks, width, change)
                cur = (z, sv)
                if prev is not None:
                    change = self.change(prev, cur)
                    if change <= self.tol:
                        break
                prev = cur
            if width == p or blocks >= self.max_blocks:
                break
            y = ah @ w
        if cur is None or not (cur[1][k - 1] > 0 and cur[1][k - 1] >= SMALLEST_RELATIVE_SIGMA * cur[1][0]):
            return self.exact_of(a, b, blocks, width, change)
        z, sv = cur
        zf = z.astype(np.float32)
        left = np.hstack(qs) @ zf                      # p x k
        right = (np.hstack(ws) @ zf) * (1 / sv).astype(np.float32)   # L x k
        u, v = (right, left) if flipped else (left, right)
        return u, sv.astype(np.float32), np.ascontiguousarray(v.T), b, blocks, width, change, False

    def exact_of(self, a, b, blocks, width, change):
        u, s, vt = self.ops.svd(a)
        return u, s, vt, b, blocks, width, change, True

    @staticmethod
    def change(before, after):
        """TruncatedSvd.change(Ritz, Ritz): the change measure in the basis coordinates (float64)."""
        z0, s0 = before
        z1, s1 = after
        scale = float((s1 ** 2).sum())
        if scale == 0:
            return 0.0
        c = z1[:z0.shape[0]].T @ z0                    # k x k
        e0 = float((s0 ** 2).sum())
        moved = float(((s1 - s0) ** 2).sum())
        moved += max(0.0, e0 - float(((c * s0[None, :]) ** 2).sum()))
        moved += max(0.0, e0 - float(((s1[:, None] * c) ** 2).sum()))
        return math.sqrt(moved / scale)

    def summary(self):
        rnd = [r for r in self.records if r[6] != "exact"]
        ex = len(self.records) - len(rnd)
        if not rnd:
            return f"peer_svd krylov: 0 randomized decompositions ({ex} exact)"
        handed = sum(1 for r in rnd if r[6] == "exact-fallback")
        blocks = [r[7] for r in rnd]
        widths = [r[8] for r in rnd]
        changes = [r[9] for r in rnd if not math.isnan(r[9])]
        return (f"peer_svd krylov: {len(rnd)} randomized decompositions ({ex} exact, {handed} handed to the exact "
                f"SVD), blocks mean {sum(blocks) / len(blocks):.2f} max {max(blocks)}, width mean "
                f"{sum(widths) / len(widths):.1f} max {max(widths)}, last change max "
                f"{max(changes) if changes else float('nan'):.2e}")


# ----------------------------------------------------------------------------------------- the merges

def low_rank_sum(ops, dec, vectors, k, name, tm):
    """sum_t SVD_k(v_t) for the vectors v_t yielded (lazily) by `vectors`."""
    low = None
    for t, get in enumerate(vectors):
        ta = time.perf_counter()
        v = get()
        tb = time.perf_counter()
        u, s, vt = dec.leading(v, k, name, t)
        tc = time.perf_counter()
        term = (u[:, :k] * s[:k]) @ vt[:k]
        if low is None:
            low = term
        else:
            low += term
        td = time.perf_counter()
        tm.add("read+elementwise", tb - ta)
        tm.add("svd", tc - tb)
        tm.add("low-rank products", td - tc)
    return low


def polar(ops, a):
    p, _, qt = ops.svd(a)
    return p @ qt


def merge(method, ops, dec, base, fts, w, lam, ratio, select, tm):
    T = len(fts)
    for name in base.names:
        t0 = time.perf_counter()
        if base.dtype(name) not in FLOAT_CODES:
            w.write(name, base.get(name))
            for f in [base] + fts:
                f.release(name)
            tm.add("write", time.perf_counter() - t0)
            continue
        shape = base.shape(name)
        selected = len(shape) == 2 and select.search(name) is not None
        if method == "cart":
            avg = ops.copy(fts[0].get(name))
            for f in fts[1:]:
                avg += ops.arr(f.get(name))
            avg /= T
            out = avg
            tm.add("read+elementwise", time.perf_counter() - t0)
            if selected:
                k = rank_for(ratio, shape)
                if k > 0:
                    low = low_rank_sum(ops, dec, [lambda f=f: ops.sub(ops.arr(f.get(name)), avg) for f in fts],
                                       k, name, tm)
                else:
                    low = ops.zeros(shape)
                t1 = time.perf_counter()
                low *= lam
                low += avg
                out = low
                tm.add("read+elementwise", time.perf_counter() - t1)
        else:
            pre = ops.arr(base.get(name).astype(np.float32, copy=False))

            def tau(f):
                return ops.sub(ops.arr(f.get(name)), pre)
            if selected and method == "lowrank-ta":
                tm.add("read+elementwise", time.perf_counter() - t0)
                k = rank_for(ratio, shape)
                low = (low_rank_sum(ops, dec, [lambda f=f: tau(f) for f in fts], k, name, tm)
                       if k > 0 else ops.zeros(shape))
                t1 = time.perf_counter()
                low *= lam
                low += pre
                out = low
                tm.add("read+elementwise", time.perf_counter() - t1)
            elif selected:  # tsvm
                tm.add("read+elementwise", time.perf_counter() - t0)
                k = tsvm_per_task(shape, T)
                lefts, rights, sigmas = [], [], []
                for t, f in enumerate(fts):
                    ta = time.perf_counter()
                    x = tau(f)
                    tb = time.perf_counter()
                    u, s, vt = dec.leading(x, k, name, t)
                    tc = time.perf_counter()
                    lefts.append(u[:, :k])
                    rights.append(vt[:k].T)
                    sigmas.append(s[:k])
                    tm.add("read+elementwise", tb - ta)
                    tm.add("svd", tc - tb)
                tp = time.perf_counter()
                big_l, big_r, sigma = ops.hcat(lefts), ops.hcat(rights), ops.cat(sigmas)
                c = k * T
                if c <= shape[0]:
                    big_l = polar(ops, big_l)
                if c <= shape[1]:
                    big_r = polar(ops, big_r)
                tq = time.perf_counter()
                delta = (big_l * sigma) @ big_r.T
                delta *= lam
                delta += pre
                out = delta
                tm.add("polar factors", tq - tp)
                tm.add("low-rank products", time.perf_counter() - tq)
            else:
                acc = tau(fts[0])
                for f in fts[1:]:
                    acc += tau(f)
                if method == "tsvm":
                    acc /= T
                acc *= lam
                acc += pre
                out = acc
                tm.add("read+elementwise", time.perf_counter() - t0)
        t1 = time.perf_counter()
        w.write(name, ops.numpy(out))
        for f in [base] + fts:
            f.release(name)
        tm.add("write", time.perf_counter() - t1)


# ------------------------------------------------------------------------------------------ main

def self_test():
    # new java.util.Random(seed).nextGaussian(), printed by OpenJDK 17.0.15 (Double.toString)
    want = {42: [1.1419053154730547, 0.9194079489827879, -0.9498666368908959, -1.1069902863993377,
                 0.2809776380727795, 0.6846227956326554],
            DEFAULT_SEED: [0.2039425452745046, -0.9037913669450452, 0.6190709567470487, -2.0961669256939066,
                           0.6618650830812285, -1.1524675765817924]}
    for seed, vals in want.items():
        got = java_gaussians(seed, len(vals))
        if not np.array_equal(got, np.array(vals)):
            raise SystemExit(f"self-test: java_gaussians({seed}) = {got.tolist()}, want {vals}")
    # TruncatedSvd.gaussian(768, 77, DEFAULT_SEED) in OpenJDK 17.0.15: the float32 values' sum (in double, in
    # order) and the xor of floatToRawIntBits(f_i) * (i + 1) (int arithmetic)
    f = test_matrix(768, 77, DEFAULT_SEED, "java").ravel()
    xor = 0
    for i, v in enumerate(f.view(np.int32).tolist()):
        xor ^= (v * (i + 1)) & 0xFFFFFFFF
    total = math.fsum(f.astype(np.float64).tolist())
    if xor != (-1996272384) & 0xFFFFFFFF or abs(total - 116.39886522239067) > 1e-9:
        raise SystemExit(f"self-test: the 768 x 77 test matrix differs from Java's (xor {xor}, sum {total!r})")
    # the vectorised LCG against the plain recurrence
    x, ref = (7 ^ _MULT) & _MASK, []
    for _ in range(5000):
        x = (x * _MULT + _ADD) & _MASK
        ref.append(x)
    if not np.array_equal(_lcg_states((7 ^ _MULT) & _MASK, 5000), np.array(ref, dtype=np.uint64)):
        raise SystemExit("self-test: the vectorised LCG differs from the recurrence")
    # randomized SVD of a matrix with a clear gap: its rank-k part equals the exact one
    g = np.random.default_rng(3)
    m, n, k = 300, 120, 10
    a = (g.standard_normal((m, 30)) * np.geomspace(10, 0.1, 30)) @ g.standard_normal((30, n))
    a = (a + 1e-3 * g.standard_normal((m, n))).astype(np.float32)
    ns = argparse.Namespace(svd="randomized", block_min=DEFAULT_BLOCK_MIN, block_fraction=DEFAULT_BLOCK_FRACTION,
                            tol=DEFAULT_TOL, max_blocks=2 ** 31 - 1, seed=DEFAULT_SEED, rng="java")
    for ops in [NumpyOps()]:
        dec = Decomposer(ops, ns)
        u, s, vt = dec.leading(ops.arr(a), k, "test", 0)
        ue, se, vte = np.linalg.svd(a.astype(np.float64), full_matrices=False)
        approx = ops.numpy((u * s) @ vt).astype(np.float64)
        exact = (ue[:, :k] * se[:k]) @ vte[:k]
        rel = np.linalg.norm(approx - exact) / np.linalg.norm(exact)
        if not rel < 1e-5:
            raise SystemExit(f"self-test: randomized rank-{k} part ({ops.name}) is {rel:.1e} from the exact one")
        print(f"peer_svd self-test: {ops.name} randomized rank-{k} part within {rel:.1e} of the exact one; "
              + dec.summary())
    print("peer_svd self-test: OK")
    return 0


def _has_torch():
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        return False


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    ap = merge_arg_parser(__doc__, METHODS + sorted(ALIASES))
    ap.add_argument("--rank-ratio", type=float, default=None, help="cart, lowrank-ta: R (default 0.08)")
    ap.add_argument("--select", default=DEFAULT_SELECT, help="regex on 2-D tensor names, default attn|mlp")
    ap.add_argument("--svd", choices=["exact", "randomized", "auto"], default="exact")
    ap.add_argument("--backend", choices=["numpy", "torch"], default="numpy")
    ap.add_argument("--block-min", type=int, default=DEFAULT_BLOCK_MIN)
    ap.add_argument("--block-fraction", type=float, default=DEFAULT_BLOCK_FRACTION)
    ap.add_argument("--tol", type=float, default=DEFAULT_TOL, help="stopping tolerance of the change measure")
    ap.add_argument("--max-blocks", type=int, default=2 ** 31 - 1)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--rng", choices=["java", "numpy"], default="java",
                    help="test matrix: java.util.Random(seed).nextGaussian() as TauLab's, or numpy's generator")
    ap.add_argument("--threads", type=int, default=os.cpu_count(),
                    help="torch intra-op threads (numpy's BLAS uses its own default: all cores)")
    ap.add_argument("--timings", action="store_true", help="phase breakdown and pass counts on stderr")
    ap.add_argument("--stats", default=None, help="per-decomposition TSV file")
    a = ap.parse_args()
    method = ALIASES.get(a.method, a.method)
    if method == "tsvm" and a.rank_ratio is not None:
        raise SystemExit("peer_svd: tsvm has no rank ratio (k = max(1, floor(min(m, n) / T)))")
    ratio = 0.08 if a.rank_ratio is None else a.rank_ratio
    if not 0 <= ratio <= 1:
        raise SystemExit(f"peer_svd: rank ratio {ratio} is outside [0, 1]")
    if a.max_blocks < 1 or a.block_min < 1 or a.block_fraction < 0:
        raise SystemExit("peer_svd: --max-blocks and --block-min must be >= 1, --block-fraction >= 0")
    lam = a.lam if a.lam is not None else (0.3 if method == "lowrank-ta" else 1.0)

    t_start = time.perf_counter()
    if a.backend == "torch":
        set_torch_threads(a.threads)
        ops = TorchOps()
    else:
        ops = NumpyOps()
    base = SafetensorsFile(a.base)
    fts = [SafetensorsFile(p) for p in a.finetuned]
    check_inputs(base, fts)
    w = open_output(a.out, base, f"peer_svd.py {method} {a.svd} {a.backend}")
    tm = Timer()
    dec = Decomposer(ops, a)
    merge(method, ops, dec, base, fts, w, lam, ratio, re.compile(a.select), tm)
    t1 = time.perf_counter()
    w.close()
    tm.add("write", time.perf_counter() - t1)
    if a.stats:
        with open(a.stats, "w") as f:
            f.write("tensor\ttask\tm\tn\tk\tblock\tmethod\tblocks\twidth\tchange\n")
            for r in dec.records:
                f.write("\t".join(str(x) for x in r[:9]) + f"\t{r[9]:.3e}\n")
    if a.timings:
        total = time.perf_counter() - t_start
        print(f"peer_svd {method} [{a.svd}, {a.backend}]: total {total:.2f} s in process ({tm.parts()})",
              file=sys.stderr)
        print(dec.summary(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
