package org.taulab.dsl.merge;

/**
 * Exact k-th largest magnitude of a vector that is seen in pieces, without holding it: a two-pass radix
 * select on the bits of |x| (non-negative floats order like their bit patterns). Pass one histograms the
 * high 16 bits, pass two the low 16 bits inside the bucket that holds the k-th value.
 */
final class MagnitudeThreshold {
    private final long keep;
    private final long[] high = new long[1 << 16];
    private final long[] low = new long[1 << 16];
    private int bucket = -1;
    private long neededInBucket;

    /** {@code keep}: how many of the largest magnitudes the threshold admits (at least). */
    MagnitudeThreshold(long keep) {
        this.keep = keep;
    }

    /** Number of entries kept for a fraction {@code k} of {@code n}: {@code ceil(k·n)}. */
    static long keepCount(double k, long n) {
        return (long) Math.min(n, Math.ceil(k * n - 1e-9));
    }

    boolean needsValues() {
        return keep > 0;
    }

    void addFirstPass(float[] values) {
        for (float v : values) {
            high[Float.floatToRawIntBits(Math.abs(v)) >>> 16]++;
        }
    }

    void finishFirstPass() {
        long above = 0;
        for (int b = high.length - 1; b >= 0; b--) {
            if (above + high[b] >= keep) {
                bucket = b;
                neededInBucket = keep - above;
                return;
            }
            above += high[b];
        }
        bucket = 0;
        neededInBucket = keep - (above - high[0]);
    }

    /** Feeds a tensor's values to a pass in chunks, so no copy of the whole tensor is made. */
    void add(ai.djl.ndarray.NDArray x, boolean firstPass) {
        Chunks.forEach(x, (v, offset) -> {
            if (firstPass) {
                addFirstPass(v);
            } else {
                addSecondPass(v);
            }
        });
    }

    void addSecondPass(float[] values) {
        for (float v : values) {
            int bits = Float.floatToRawIntBits(Math.abs(v));
            if (bits >>> 16 == bucket) {
                low[bits & 0xffff]++;
            }
        }
    }

    /** The threshold t: entries with {@code |x| ≥ t} are kept ({@code +∞} keeps nothing). */
    float threshold() {
        if (keep <= 0) {
            return Float.POSITIVE_INFINITY;
        }
        long above = 0;
        for (int l = low.length - 1; l >= 0; l--) {
            above += low[l];
            if (above >= neededInBucket) {
                return Float.intBitsToFloat((bucket << 16) | l);
            }
        }
        return 0f;
    }
}
