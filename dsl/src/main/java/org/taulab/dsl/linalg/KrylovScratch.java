package org.taulab.dsl.linalg;

import org.bytedeco.javacpp.FloatPointer;

/**
 * The large buffers of one {@link KrylovBasis} (A and its transpose off the heap, the transpose's heap array, the
 * basis and its products with A, the operands of the products with A), kept by each thread between
 * decompositions. Fresh ten-megabyte buffers for every matrix cost their page faults
 * and zeroing each time: a CART merge at ViT-B/32 shapes spent a fifth of its system time there. A thread keeps
 * buffers up to {@link #KEEP_LIMIT} floats each (or the bytes of as many); a nested use on a thread whose buffers
 * are taken gets its own.
 */
final class KrylovScratch implements AutoCloseable {
    static final long KEEP_LIMIT = 1L << 24;

    private static final ThreadLocal<KrylovScratch> LOCAL = ThreadLocal.withInitial(() -> new KrylovScratch(true));

    private final boolean kept;
    private boolean inUse;
    private FloatPointer original;
    private FloatPointer transposed;
    private float[] transposeArray;
    private FloatPointer operand;
    private FloatPointer result;
    /** The slots of {@link #reused}: a product Â X, a product Âᵀ Y, a block of B's new rows. */
    static final int APPLY = 0;
    static final int APPLY_TRANSPOSED = 1;
    static final int NEW_ROWS = 2;
    private final float[][] reused = new float[3][];
    private double[] eigen;
    final OffHeapRows basisRows = new OffHeapRows(false);
    final OffHeapRows productRows = new OffHeapRows(false);
    final OffHeapRows productRowsDouble = new OffHeapRows(true);

    private KrylovScratch(boolean kept) {
        this.kept = kept;
    }

    /** This thread's buffers, or fresh ones when they are in use; close() hands them back. */
    static KrylovScratch acquire() {
        KrylovScratch s = LOCAL.get();
        if (s.inUse) {
            s = new KrylovScratch(false);
        }
        s.inUse = true;
        return s;
    }

    /** A copy of the row-major m × n matrix a, off the heap. */
    FloatPointer original(float[] a) {
        original = fit(original, a.length);
        original.put(a, 0, a.length);
        return original;
    }

    /** The transpose (n × m) of the row-major m × n matrix a, off the heap. */
    FloatPointer transposed(float[] a, int m, int n) {
        if (transposeArray == null || transposeArray.length < a.length) {
            transposeArray = new float[a.length];
        }
        KrylovBasis.transpose(a, m, n, transposeArray);
        transposed = fit(transposed, a.length);
        transposed.put(transposeArray, 0, a.length);
        return transposed;
    }

    /** An off-heap buffer of at least {@code size} floats for a product's operand (its contents are not kept). */
    FloatPointer operand(long size) {
        operand = fit(operand, size);
        return operand;
    }

    /** The same for a product's result. */
    FloatPointer result(long size) {
        result = fit(result, size);
        return result;
    }

    /**
     * A heap array of exactly {@code length} floats for one of the per-block results ({@link #APPLY},
     * {@link #APPLY_TRANSPOSED}, {@link #NEW_ROWS}): each is used up before the next one of its slot is made.
     */
    float[] reused(int slot, int length) {
        if (reused[slot] == null || reused[slot].length != length) {
            reused[slot] = new float[length];
        }
        return reused[slot];
    }

    /** An array of at least {@code length} doubles for the Ritz step's working copy of the Gram matrix. */
    double[] eigen(int length) {
        if (eigen == null || eigen.length < length) {
            eigen = new double[length];
        }
        return eigen;
    }

    private static FloatPointer fit(FloatPointer p, long size) {
        if (p != null && p.capacity() >= size) {
            return p;
        }
        if (p != null) {
            p.close();
        }
        return new FloatPointer(size);
    }

    @Override
    public void close() {
        inUse = false;
        // the double rows hold as many elements as the float ones at twice the bytes
        if (!kept || (original != null && original.capacity() > KEEP_LIMIT) || 2 * productRowsDouble.capacity() > KEEP_LIMIT) {
            free();
        }
    }

    private void free() {
        if (original != null) {
            original.close();
            original = null;
        }
        if (transposed != null) {
            transposed.close();
            transposed = null;
        }
        transposeArray = null;
        java.util.Arrays.fill(reused, null);
        eigen = null;
        for (FloatPointer p : new FloatPointer[] {operand, result}) {
            if (p != null) {
                p.close();
            }
        }
        operand = null;
        result = null;
        basisRows.free();
        productRows.free();
        productRowsDouble.free();
    }
}
