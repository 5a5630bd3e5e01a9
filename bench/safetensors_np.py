"""Minimal safetensors reader/writer on numpy (no `safetensors` package needed).

Reader: mmap of the whole file (copy-on-write, so arrays are writable views and torch.from_numpy
accepts them without a copy or a warning); tensors are np.frombuffer views, nothing is read until
touched. Writer: streams tensors in order after a header computed up front from names/shapes.
Only the dtypes the benchmark needs are mapped.
"""
import json
import mmap
import os
import struct

import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
          "I8": "i1", "U8": "u1", "BOOL": "?"}


class SafetensorsFile:
    def __init__(self, path):
        self.path = path
        self._f = open(path, "rb")
        size = os.fstat(self._f.fileno()).st_size
        if size < 8:
            raise ValueError(f"{path}: too short for safetensors ({size} bytes)")
        (n,) = struct.unpack("<Q", self._f.read(8))
        if n > size - 8:
            raise ValueError(f"{path}: header length {n} exceeds file size {size}")
        hdr = json.loads(self._f.read(n).decode("utf-8"))
        self.metadata = hdr.pop("__metadata__", None) or {}
        self.header = hdr
        self.data_start = 8 + n
        # The key order of the JSON object is the order the writer chose; data_offsets order is
        # the on-disk order, which is what a streaming pass should follow.
        self.names = sorted(hdr, key=lambda k: hdr[k]["data_offsets"][0])
        self._mm = mmap.mmap(self._f.fileno(), 0, access=mmap.ACCESS_COPY) if size > 0 else None

    def shape(self, name):
        return tuple(self.header[name]["shape"])

    def dtype(self, name):
        return self.header[name]["dtype"]

    def get(self, name):
        info = self.header[name]
        dt = np.dtype(DTYPES[info["dtype"]])
        b, e = info["data_offsets"]
        count = (e - b) // dt.itemsize
        a = np.frombuffer(self._mm, dtype=dt, count=count, offset=self.data_start + b)
        return a.reshape(info["shape"])

    def release(self, name):
        """Drop this tensor's pages from our mapping (they stay in the page cache), so that a streaming
        pass does not accumulate the whole file in its resident set."""
        if self._mm is None:
            return
        b, e = self.header[name]["data_offsets"]
        lo = -(-(self.data_start + b) // mmap.PAGESIZE) * mmap.PAGESIZE
        hi = ((self.data_start + e) // mmap.PAGESIZE) * mmap.PAGESIZE
        if hi > lo:
            self._mm.madvise(mmap.MADV_DONTNEED, lo, hi - lo)

    def close(self):
        # Views into the mmap may still be alive in the caller; let GC close the map then.
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _code(dtype):
    dt = np.dtype(dtype)
    for k, v in DTYPES.items():
        if np.dtype(v) == dt:
            return k
    raise ValueError(f"unsupported dtype {dt}")


class SafetensorsWriter:
    """Streaming writer: declare (name, shape, dtype) up front, then write() each tensor in order."""

    def __init__(self, path, specs, metadata=None):
        self.path = path
        self.tmp = path + ".tmp"
        hdr = {}
        if metadata:
            hdr["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
        off = 0
        self.order = []
        for name, shape, dtype in specs:
            dt = np.dtype(dtype)
            n = dt.itemsize * int(np.prod(shape, dtype=np.int64))
            hdr[name] = {"dtype": _code(dt), "shape": [int(s) for s in shape], "data_offsets": [off, off + n]}
            self.order.append((name, tuple(int(s) for s in shape), dt.newbyteorder("<")))
            off += n
        js = json.dumps(hdr, separators=(",", ":")).encode("utf-8")
        js += b" " * ((-len(js)) % 8)
        self._f = open(self.tmp, "wb")
        self._f.write(struct.pack("<Q", len(js)) + js)
        self._next = 0

    def write(self, name, array):
        ename, shape, dt = self.order[self._next]
        if name != ename:
            raise ValueError(f"expected tensor {ename}, got {name}")
        a = np.ascontiguousarray(array, dtype=dt)
        if a.shape != shape:
            raise ValueError(f"{name}: shape {a.shape}, declared {shape}")
        self._f.write(memoryview(a).cast("B"))
        self._next += 1

    def close(self):
        if self._next != len(self.order):
            raise ValueError(f"{self.path}: wrote {self._next} of {len(self.order)} tensors")
        self._f.close()
        os.replace(self.tmp, self.path)
