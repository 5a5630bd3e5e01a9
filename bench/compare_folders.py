#!/usr/bin/python3
"""Largest difference between two bfloat16 model folders, tensor by tensor, relative to each tensor's largest
magnitude (bfloat16 keeps 8 significant bits: one rounding step of the largest value is 2^-8 = 0.0039 of it).

    /usr/bin/python3 bench/compare_folders.py A_DIR B_DIR
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_folder import Folder  # noqa: E402

import numpy as np  # noqa: E402


def main():
    a, b = Folder(sys.argv[1]), Folder(sys.argv[2])
    if set(a.names) != set(b.names):
        print(f"different tensors: {sorted(set(a.names) ^ set(b.names))[:5]}")
        sys.exit(1)
    worst, where, differing = 0.0, "", 0
    for name in a.names:
        x, y = a.get(name), b.get(name)
        scale = float(np.max(np.abs(x))) or 1.0
        d = float(np.max(np.abs(x - y))) / scale
        differing += int(np.count_nonzero(x != y))
        if d > worst:
            worst, where = d, name
        a.release(name)
        b.release(name)
    total = sum(int(np.prod(a.shards[a.where[n]][1][n]["shape"])) for n in a.names)
    print(f"max relative difference {worst:.2e} ({where or 'none'}); {differing} of {total} values differ")


if __name__ == "__main__":
    main()
