#!/usr/bin/python3
"""Synthetic checkpoints with the exact tensor names and shapes of OpenCLIP ViT-B/32's visual tower.

Writes, into OUT_DIR (default bench/out/vitb32):
    base.safetensors            the "pretrained" weights theta_pre
    ft1.safetensors .. ft8.safetensors   theta_t = theta_pre + tau_t

All float32, about 87.85 M parameters (351 MB) per file. Needs numpy only; the safetensors format is
written by hand: 8-byte little-endian header length N, N bytes of JSON (space-padded so that N is a
multiple of 8), then the raw little-endian tensor bytes in header order.

Base: weights ~ N(0, 0.02^2); LayerNorm weights 1 + N(0, 0.02^2); biases and embeddings N(0, 0.02^2).

Task vectors tau_t are shaped like real fine-tuning deltas: for every tensor with >= 2 dims (viewed as a
matrix [dim0, prod(rest)]) tau_t = shared low-rank part (rank 8, the same for every task: the component
that all fine-tunings have in common) + task-specific low-rank part (rank 48, power-law spectrum)
+ dense Gaussian noise, with energy shares 30 % / 60 % / 10 %; 1-D tensors get shared + task-specific
dense Gaussian perturbations. The Frobenius norm of tau_t is 1e-3 of the base tensor's norm (per
tensor). Everything is seeded (SeedSequence of (seed, task, tensor index)), so files are bit-identical
across runs and machines with the same numpy.

Idempotent: a file that already exists with exactly the expected size is left alone; files are
written to a temporary name and renamed, so a partial file is never mistaken for a finished one.

With --small it writes the same tensor names at a toy size instead (width 64, 2 residual blocks, output
projection 64 x 32, 8 x 8 patches: 117,824 parameters, 474 KB per file) into bench/out/small by default,
for testing the benchmark scripts in seconds.

Usage: /usr/bin/python3 bench/gen_vitb32.py [OUT_DIR] [--small] [--tasks 8] [--seed 0] [--rel 1e-3] [--force]
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np

WIDTH, LAYERS, HEADS_OUT, PATCH, GRID = 768, 12, 512, 32, 7
SMALL = dict(width=64, layers=2, heads_out=32, patch=8, grid=7)  # --small: same names, toy sizes


def vitb32_shapes(width=WIDTH, layers=LAYERS, heads_out=HEADS_OUT, patch=PATCH, grid=GRID):
    """Ordered (name, shape) list, in the order OpenCLIP's VisionTransformer.state_dict() yields."""
    w = width
    s = [("class_embedding", (w,)),
         ("positional_embedding", (grid * grid + 1, w)),
         ("proj", (w, heads_out)),
         ("conv1.weight", (w, 3, patch, patch)),
         ("ln_pre.weight", (w,)), ("ln_pre.bias", (w,))]
    for i in range(layers):
        p = f"transformer.resblocks.{i}."
        s += [(p + "ln_1.weight", (w,)), (p + "ln_1.bias", (w,)),
              (p + "attn.in_proj_weight", (3 * w, w)), (p + "attn.in_proj_bias", (3 * w,)),
              (p + "attn.out_proj.weight", (w, w)), (p + "attn.out_proj.bias", (w,)),
              (p + "ln_2.weight", (w,)), (p + "ln_2.bias", (w,)),
              (p + "mlp.c_fc.weight", (4 * w, w)), (p + "mlp.c_fc.bias", (4 * w,)),
              (p + "mlp.c_proj.weight", (w, 4 * w)), (p + "mlp.c_proj.bias", (w,))]
    s += [("ln_post.weight", (w,)), ("ln_post.bias", (w,))]
    return s


def header_bytes(shapes, metadata):
    hdr = {"__metadata__": metadata}
    off = 0
    for name, shape in shapes:
        n = 4 * int(np.prod(shape))
        hdr[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [off, off + n]}
        off += n
    js = json.dumps(hdr, separators=(",", ":")).encode("utf-8")
    js += b" " * ((-len(js)) % 8)
    return struct.pack("<Q", len(js)) + js, off


def rng_for(seed, task, idx):
    return np.random.default_rng(np.random.SeedSequence([seed, task, idx]))


def base_tensor(seed, idx, name, shape):
    g = rng_for(seed, 0, idx)
    x = g.standard_normal(shape, dtype=np.float32)
    x *= np.float32(0.02)
    if name.endswith(".weight") and len(shape) == 1:  # LayerNorm gains
        x += np.float32(1.0)
    return x


def _low_rank(g, m, n, rank, alpha):
    """Sum_i s_i u_i v_i^T with unit-norm Gaussian u_i, v_i and s_i ~ i^-alpha, normalised to ||.||_F = 1."""
    u = g.standard_normal((m, rank), dtype=np.float32)
    v = g.standard_normal((rank, n), dtype=np.float32)
    u /= np.linalg.norm(u, axis=0, keepdims=True)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    s = (np.arange(1, rank + 1, dtype=np.float32) ** -alpha).astype(np.float32)
    a = (u * s) @ v
    a /= np.float32(np.linalg.norm(a))
    return a


def task_vector(seed, task, idx, shape, target_norm):
    """tau_t for one tensor, Frobenius norm = target_norm."""
    gs = rng_for(seed, 10_000, idx)      # shared across tasks
    gt = rng_for(seed, task, idx)        # task specific
    if len(shape) >= 2:
        m, n = shape[0], int(np.prod(shape[1:]))
        shared = _low_rank(gs, m, n, min(8, m, n), 0.5)
        own = _low_rank(gt, m, n, min(48, m, n), 0.7)
        noise = gt.standard_normal((m, n), dtype=np.float32)
        noise /= np.float32(np.linalg.norm(noise))
        tau = (np.float32(np.sqrt(0.3)) * shared + np.float32(np.sqrt(0.6)) * own
               + np.float32(np.sqrt(0.1)) * noise)
    else:
        shared = gs.standard_normal(shape, dtype=np.float32)
        own = gt.standard_normal(shape, dtype=np.float32)
        shared /= np.float32(np.linalg.norm(shared))
        own /= np.float32(np.linalg.norm(own))
        tau = np.float32(np.sqrt(0.4)) * shared + np.float32(np.sqrt(0.6)) * own
    tau *= np.float32(target_norm / max(float(np.linalg.norm(tau)), 1e-30))
    return tau.reshape(shape)


def write_file(path, shapes, metadata, tensor_fn):
    hdr, data_len = header_bytes(shapes, metadata)
    expected = len(hdr) + data_len
    if os.path.exists(path) and os.path.getsize(path) == expected:
        print(f"  {path}: present ({expected} bytes), skipped", flush=True)
        return False
    tmp = path + ".tmp"
    t0 = time.perf_counter()
    with open(tmp, "wb") as f:
        f.write(hdr)
        for idx, (name, shape) in enumerate(shapes):
            x = np.ascontiguousarray(tensor_fn(idx, name, shape), dtype="<f4")
            assert x.shape == tuple(shape), (name, x.shape, shape)
            f.write(memoryview(x).cast("B"))
    if os.path.getsize(tmp) != expected:
        raise SystemExit(f"internal error: {tmp} has {os.path.getsize(tmp)} bytes, expected {expected}")
    os.replace(tmp, path)
    print(f"  {path}: written ({expected} bytes) in {time.perf_counter() - t0:.1f} s", flush=True)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", nargs="?", default=None,
                    help="default bench/out/vitb32 (bench/out/small with --small)")
    ap.add_argument("--small", action="store_true",
                    help="toy sizes with the same tensor names (width 64, 2 blocks) for testing scripts")
    ap.add_argument("--tasks", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rel", type=float, default=1e-3, help="||tau_t|| / ||theta_pre||, per tensor")
    ap.add_argument("--force", action="store_true", help="rewrite even if the files look complete")
    a = ap.parse_args()
    if a.out_dir is None:
        a.out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "small" if a.small else "vitb32")

    os.makedirs(a.out_dir, exist_ok=True)
    shapes = vitb32_shapes(**SMALL) if a.small else vitb32_shapes()
    nparams = sum(int(np.prod(s)) for _, s in shapes)
    print(f"ViT-B/32 visual tower{' (--small sizes)' if a.small else ''}: {len(shapes)} tensors, {nparams} parameters, "
          f"{4 * nparams / 1e6:.1f} MB per checkpoint -> {a.out_dir}", flush=True)
    if a.force:
        for f in ["base"] + [f"ft{t}" for t in range(1, a.tasks + 1)]:
            p = os.path.join(a.out_dir, f + ".safetensors")
            if os.path.exists(p):
                os.remove(p)

    meta = {"format": "pt", "generator": "taulab bench/gen_vitb32.py", "seed": str(a.seed)}
    if a.small:
        meta["size"] = "small"
    write_file(os.path.join(a.out_dir, "base.safetensors"), shapes, dict(meta, role="base"),
               lambda idx, name, shape: base_tensor(a.seed, idx, name, shape))
    for t in range(1, a.tasks + 1):
        def ft(idx, name, shape, t=t):
            b = base_tensor(a.seed, idx, name, shape)
            tau = task_vector(a.seed, t, idx, shape, a.rel * float(np.linalg.norm(b)))
            b += tau
            return b
        write_file(os.path.join(a.out_dir, f"ft{t}.safetensors"), shapes, dict(meta, role=f"ft{t}"), ft)
    return 0


if __name__ == "__main__":
    sys.exit(main())
