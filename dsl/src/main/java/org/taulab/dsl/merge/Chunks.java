package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** A tensor's values copied out in pieces, so no copy of the whole tensor is made (a billion-parameter model's embedding is 1 GB in float32). */
final class Chunks {
    /** At most this many values at a time. */
    static final int CHUNK = 1 << 22;

    interface Consumer {
        /** {@code values} are the flattened tensor's entries from {@code offset} on. */
        void accept(float[] values, long offset);
    }

    private Chunks() {
    }

    static void forEach(NDArray x, Consumer consumer) {
        long n = x.size();
        if (n <= CHUNK) {
            consumer.accept(x.toFloatArray(), 0);
            return;
        }
        try (NDArray flat = x.reshape(-1)) {
            for (long from = 0; from < n; from += CHUNK) {
                try (NDArray part = flat.get(new NDIndex("{}:{}", from, Math.min(n, from + CHUNK)))) {
                    consumer.accept(part.toFloatArray(), from);
                }
            }
        }
    }
}
