#!/usr/bin/python3
"""numpy peer of `bin/taulab merge` on Hugging Face model folders (bfloat16 shards in, bfloat16 shards out), for
the out-of-core benchmark:

    /usr/bin/python3 bench/peer_folder.py METHOD --base PRE_DIR --out OUT_DIR [--lambda X] [--topk K]
                                          [--rank-ratio R] [--select REGEX] [--shard-size BYTES] FT_DIR ...

METHOD
  task-arithmetic  θ_pre + λ Σ τ_t                                                         (λ 0.3)
  ties             per tensor: keep each τ_t's ceil(k·n) largest magnitudes, elect the sign of their sum
                   (where that is 0, the sign of the tensor's sum of elected signs, as in TIES's reference
                   code), average the kept values that agree with it, θ_pre + λ·that     (k 0.2, λ 1)
  lowrank-ta       θ_pre + λ Σ_t SVD_k(τ_t) at 2-D tensors matching --select (np.linalg.svd, LAPACK gesdd),
                   θ_pre + λ Σ τ_t elsewhere                                         (λ 0.3, r 0.08)

Tensor by tensor: each shard is memory-mapped, a tensor is decoded to float32 when its turn comes, merged,
encoded to bfloat16 (round to nearest even) and written; resident memory stays at a few tensors' worth.
"""
import argparse
import json
import math
import mmap
import os
import re
import struct

import numpy as np


class Folder:
    """A sharded model folder: tensor name → (shard mapping, header entry)."""

    def __init__(self, path):
        index = os.path.join(path, "model.safetensors.index.json")
        if os.path.isfile(index):
            with open(index) as f:
                weight_map = json.load(f)["weight_map"]
        else:  # a folder with one file, as Hugging Face saves a model that fits in one shard
            with open(os.path.join(path, "model.safetensors"), "rb") as f:
                (n,) = struct.unpack("<Q", f.read(8))
                weight_map = {t: "model.safetensors" for t in json.loads(f.read(n)) if t != "__metadata__"}
        self.shards, self.where, self.names = {}, {}, []
        for name, shard in weight_map.items():
            if shard not in self.shards:
                fh = open(os.path.join(path, shard), "rb")
                (n,) = struct.unpack("<Q", fh.read(8))
                header = json.loads(fh.read(n))
                header.pop("__metadata__", None)
                self.shards[shard] = (mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), header, 8 + n)
            self.where[name] = shard
        order = {}
        for shard, (_, header, _) in self.shards.items():
            for name, e in header.items():
                order[name] = (shard, e["data_offsets"][0])
        self.names = sorted(weight_map, key=lambda t: order[t])

    def get(self, name):
        mm, header, start = self.shards[self.where[name]]
        e = header[name]
        a, b = e["data_offsets"]
        assert e["dtype"] == "BF16", e["dtype"]
        raw = np.frombuffer(mm, dtype=np.uint16, count=(b - a) // 2, offset=start + a)
        out = raw.astype(np.uint32) << np.uint32(16)
        return out.view(np.float32).reshape(e["shape"])

    def release(self, name):
        mm, header, start = self.shards[self.where[name]]
        a, b = header[name]["data_offsets"]
        page = mmap.PAGESIZE
        lo = (start + a) // page * page
        try:
            mm.madvise(mmap.MADV_DONTNEED, lo, start + b - lo)
        except (AttributeError, OSError, ValueError):
            pass


def bf16(x):
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    return ((u + np.uint32(0x7FFF) + ((u >> np.uint32(16)) & np.uint32(1))) >> np.uint32(16)).astype(np.uint16)


class Writer:
    """Shards of at most shard_size bytes in the given tensor order; the index last."""

    def __init__(self, out, plan, shard_size):
        self.out = out
        os.makedirs(out, exist_ok=False)
        self.shards, cur, size = [], [], 0
        for name, shape in plan:
            n = int(np.prod(shape)) * 2
            if cur and size + n > shard_size:
                self.shards.append(cur)
                cur, size = [], 0
            cur.append((name, shape))
            size += n
        self.shards.append(cur)
        self.of = {name: i for i, s in enumerate(self.shards) for name, _ in s}
        self.files, self.pending = {}, {}

    def _open(self, i):
        fname = f"model-{i + 1:05d}-of-{len(self.shards):05d}.safetensors"
        header, offset = {}, 0
        for name, shape in self.shards[i]:
            n = int(np.prod(shape)) * 2
            header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + n]}
            offset += n
        header["__metadata__"] = {"format": "pt"}
        h = json.dumps(header, separators=(",", ":")).encode()
        h += b" " * (-len(h) % 8)
        f = open(os.path.join(self.out, fname), "wb")
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        self.files[i] = (f, fname, len(self.shards[i]))
        self.pending[i] = 0

    def write(self, name, x):
        i = self.of[name]
        if i not in self.files:
            self._open(i)
        f, fname, count = self.files[i]
        f.write(bf16(x).tobytes())
        self.pending[i] += 1
        if self.pending[i] == count:
            f.close()

    def finish(self):
        weight_map = {name: self.files[self.of[name]][1] for name in self.of}
        total = sum(int(np.prod(shape)) * 2 for s in self.shards for _, shape in s)
        with open(os.path.join(self.out, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f)


def ties_tensor(b, fts, name, k, lam):
    """TIES of one tensor, in place where it can: T trimmed task vectors, their sign sum, the agreeing sum and count."""
    kept = []
    for f in fts:
        t = f.get(name)
        t -= b
        mag = np.abs(t)
        flat = mag.ravel()
        keep = min(flat.size, math.ceil(k * flat.size - 1e-9))
        if keep <= 0:
            t[...] = 0
        else:
            thr = np.partition(flat, flat.size - keep)[flat.size - keep]
            t[mag < thr] = 0
        del mag, flat
        kept.append(t)
    sign = np.zeros_like(b)
    for t in kept:
        sign += t
    np.sign(sign, out=sign)
    sign[sign == 0] = -1.0 if sign.sum(dtype=np.float64) < 0 else 1.0
    total = np.zeros_like(b)
    count = np.zeros_like(b)
    for t in kept:
        agree = (t != 0) & (np.sign(t) == sign)
        t *= agree
        total += t
        count += agree
        del agree
    del kept, sign
    np.divide(total, count, out=total, where=count > 0)
    total *= np.float32(lam)
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("method", choices=["task-arithmetic", "ties", "lowrank-ta"])
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lambda", dest="lam", type=float)
    ap.add_argument("--topk", type=float, default=0.2)
    ap.add_argument("--rank-ratio", type=float, default=0.08)
    ap.add_argument("--select", default="attn|mlp")
    ap.add_argument("--shard-size", type=int, default=5_000_000_000)
    ap.add_argument("finetuned", nargs="+")
    a = ap.parse_args()
    lam = a.lam if a.lam is not None else (1.0 if a.method == "ties" else 0.3)
    select = re.compile(a.select)
    base = Folder(a.base)
    fts = [Folder(p) for p in a.finetuned]
    plan = [(n, base.shards[base.where[n]][1][n]["shape"]) for n in base.names]
    w = Writer(a.out, plan, a.shard_size)
    for name in base.names:
        b = base.get(name)
        if a.method == "ties":
            delta = ties_tensor(b, fts, name, a.topk, lam)
        else:
            delta = np.zeros_like(b)
            low_rank = a.method == "lowrank-ta" and b.ndim == 2 and select.search(name)
            for f in fts:
                t = f.get(name)
                t -= b
                if low_rank:
                    m, n = b.shape
                    k = max(1, int(math.floor(a.rank_ratio * min(m, n) + 1e-9)))
                    u, s, vt = np.linalg.svd(t, full_matrices=False)
                    t = (u[:, :k] * s[:k]) @ vt[:k]
                    del u, s, vt
                delta += t
                del t
            delta *= np.float32(lam)
        delta += b
        w.write(name, delta)
        del b, delta
        for f in [base] + fts:
            f.release(name)
    w.finish()
    print(f"merged {len(fts)} models with {a.method} -> {a.out}")


if __name__ == "__main__":
    main()
