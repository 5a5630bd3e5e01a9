package org.taulab.dsl.linalg;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd;
import static org.bytedeco.openblas.global.openblas.LAPACKE_sgeqp3;
import static org.bytedeco.openblas.global.openblas.LAPACKE_sgeqrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_sorgqr;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.taulab.dsl.TauLabException;

/**
 * An orthonormal basis Q of a block Krylov space of {@code Â Âᵀ}, grown one block at a time, where Â is the
 * matrix A seen from its short side (A itself when m ≤ n, Aᵀ otherwise). Both Â and Âᵀ are kept row-major and
 * off the heap (a copy of A and a transposed one, in this thread's {@link KrylovScratch}), so that every product
 * is a plain one on memory BLAS reads in place: OpenBLAS multiplies a transposed operand by a narrow block at
 * less than half the rate, and a Java array passed to it is copied in and out on every call. Alongside it keeps
 * {@code B = Qᵀ Â} (float, for the final vectors, and in double) and the Gram matrix {@code G = B Bᵀ = Qᵀ Â Âᵀ Q}
 * in double, whose eigenpairs are the Rayleigh–Ritz approximation: {@code Â ≈ (Q Z) Σ (Bᵀ Z Σ⁻¹)ᵀ} with
 * {@code G Z = Z Σ²}. G is formed from B in double, so its rounding is that of B itself (an error of
 * ε‖B‖ in B, not ε‖B‖² in G, which would mix the directions next to σ_k by σ₁/σ_k times more).
 */
final class KrylovBasis implements AutoCloseable {
    /** A new direction whose part outside the basis is below this fraction of its block's largest column is numerically inside it. */
    static final double BREAKDOWN = 1e-6;

    private final KrylovScratch scratch;
    private final FloatPointer wide;
    private final FloatPointer tall;
    private final int m;
    private final int n;
    private final boolean flipped;
    final int shortSide;
    final int longSide;
    /** Qᵀ (width × shortSide) and B = Qᵀ Â (width × longSide, float and double), one row per basis vector. */
    private final OffHeapRows qt;
    private final OffHeapRows b;
    private final OffHeapRows bDouble;
    private final List<Integer> widths = new ArrayList<>();
    private double[] gram = new double[0];
    private int width;
    private int deflated;
    private final Random fill;
    private final String name;

    /**
     * A's basis; deflated columns are refilled from {@code new Random(fillSeed)}; room for {@code expectedWidth}
     * columns before its buffers grow.
     */
    KrylovBasis(float[] a, int m, int n, long fillSeed, int expectedWidth, String name) {
        this.fill = new Random(fillSeed);
        this.m = m;
        this.n = n;
        this.flipped = m > n;
        this.shortSide = Math.min(m, n);
        this.longSide = Math.max(m, n);
        this.name = name;
        this.scratch = KrylovScratch.acquire();
        FloatPointer original = scratch.original(a);
        FloatPointer transposed = scratch.transposed(a, m, n);
        this.wide = flipped ? transposed : original;
        this.tall = flipped ? original : transposed;
        int rows = Math.min(shortSide, expectedWidth);
        this.qt = scratch.basisRows;
        this.b = scratch.productRows;
        this.bDouble = scratch.productRowsDouble;
        qt.reset(shortSide, rows);
        b.reset(longSide, rows);
        bDouble.reset(longSide, rows);
    }

    /** Hands the off-heap copies of A back to this thread's scratch. */
    @Override
    public void close() {
        scratch.close();
    }

    int width() {
        return width;
    }

    /** {@code Â X} for X (longSide × c): shortSide × c, in an array the next {@code apply} reuses. */
    float[] apply(float[] x, int c) {
        return product(wide, shortSide, longSide, x, c, KrylovScratch.APPLY);
    }

    /** {@code Âᵀ Y} for Y (shortSide × c): longSide × c, in an array the next {@code applyTransposed} reuses. */
    float[] applyTransposed(float[] y, int c) {
        return product(tall, longSide, shortSide, y, c, KrylovScratch.APPLY_TRANSPOSED);
    }

    /** {@code M X} for the off-heap rows × inner matrix M and X (inner × c), through this thread's operand buffers. */
    private float[] product(FloatPointer matrix, int rows, int inner, float[] x, int c, int slot) {
        float[] out = scratch.reused(slot, rows * c);
        FloatPointer xp = scratch.operand((long) inner * c);
        FloatPointer op = scratch.result((long) rows * c);
        xp.put(x, 0, inner * c);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, c, inner, 1f, matrix, inner, xp, c, 0f, op, c);
        op.get(out, 0, rows * c);
        return out;
    }

    /**
     * Adds the part of Y's column span outside the basis (Y: shortSide × c, consumed; c ≤ shortSide − width), by
     * block Gram–Schmidt with re-orthogonalization: Y minus its part in the basis, then QR with column pivoting;
     * that orthonormal factor minus its part in the basis again, then QR once more (the second pass removes what
     * the first QR brought back into the basis's span where it combined large columns into a small one).
     * Columns whose part outside the basis is at most {@link #BREAKDOWN} of the block's largest column add no
     * direction numerically (where A has low rank, or the rest of its spectrum is tiny next to σ₁²); they are
     * replaced by fresh Gaussian columns before the second pass (and those get a third), so that the space keeps
     * growing by c and the stopping rule, not the deflation, decides when the estimate is good. Returns the new
     * block's {@code Âᵀ Q_j} (longSide × c).
     */
    Block add(float[] y, int c) {
        double before = maxColumnNorm(y, shortSide, c);
        project(y, c);
        float[] tau = new float[c];
        int[] pivots = new int[c];
        int info = LAPACKE_sgeqp3(LAPACK_ROW_MAJOR, shortSide, c, y, c, pivots, tau);
        if (info != 0) {
            throw failed("QR sgeqp3", info);
        }
        int r = 0;
        while (r < c && Math.abs(y[r * c + r]) > BREAKDOWN * before) {
            r++;
        }
        float[] block;
        if (r == c) {
            orthonormalFactor(y, c, c, tau);
            block = y;
        } else {
            float[] kept = new float[0];
            if (r > 0) {
                orthonormalFactor(y, c, r, tau);
                kept = firstColumns(y, shortSide, c, r);
            }
            block = sideBySide(kept, r, gaussian(fill, shortSide, c - r), c - r, shortSide);
            reorthonormalize(block, c);
            deflated += c - r;
        }
        reorthonormalize(block, c);
        float[] w = applyTransposed(block, c);
        qt.appendColumnsOf(block, c);
        float[] newRows = transpose(w, longSide, c, scratch.reused(KrylovScratch.NEW_ROWS, longSide * c));
        b.appendRows(newRows, c);
        bDouble.appendRows(newRows, c);
        widths.add(c);
        growGram(c);
        return new Block(w, c);
    }

    /** One more pass: the block (shortSide × c) minus its part in the basis, then QR (Householder). */
    private void reorthonormalize(float[] block, int c) {
        project(block, c);
        float[] tau = new float[c];
        int info = LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, shortSide, c, block, c, tau);
        if (info != 0) {
            throw failed("QR sgeqrf", info);
        }
        orthonormalFactor(block, c, c, tau);
    }

    /** Columns replaced by fresh ones so far. */
    int deflated() {
        return deflated;
    }

    /**
     * Y (shortSide × c) minus its part in the basis, one earlier block after the other (block Gram–Schmidt, each
     * block's coordinates taken from what the blocks before it left).
     */
    private void project(float[] y, int c) {
        if (widths.isEmpty()) {
            return;
        }
        int most = java.util.Collections.max(widths);
        try (FloatPointer yp = new FloatPointer(y); FloatPointer coords = new FloatPointer((long) most * c)) {
            int offset = 0;
            for (int bi : widths) {
                FloatPointer rows = qt.floats().getPointer((long) offset * shortSide);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, bi, c, shortSide, 1f, rows, shortSide, yp, c, 0f, coords, c);
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, shortSide, c, bi, -1f, rows, shortSide, coords, c, 1f, yp, c);
                offset += bi;
            }
            yp.get(y, 0, shortSide * c);
        }
    }

    /** The first {@code r} columns of Q from a QR factorization held in y (row-major, c columns) and tau. */
    private void orthonormalFactor(float[] y, int c, int r, float[] tau) {
        int info = LAPACKE_sorgqr(LAPACK_ROW_MAJOR, shortSide, r, r, y, c, tau);
        if (info != 0) {
            throw failed("QR sorgqr", info);
        }
    }

    private static float[] sideBySide(float[] a, int ca, float[] b, int cb, int rows) {
        float[] out = new float[rows * (ca + cb)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, i * ca, out, i * (ca + cb), ca);
            System.arraycopy(b, i * cb, out, i * (ca + cb) + ca, cb);
        }
        return out;
    }

    /** The next rows · cols values of {@code random.nextGaussian()}, row-major, as floats. */
    static float[] gaussian(Random random, int rows, int cols) {
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** A block's {@code Âᵀ Q_j} and its number of columns. */
    record Block(float[] w, int columns) {
    }

    /** G grown by the last block's c rows of B: its new columns are {@code B B_newᵀ}, one product in double. */
    private void growGram(int c) {
        int old = width;
        int wide = old + c;
        double[] g = new double[wide * wide];
        for (int i = 0; i < old; i++) {
            System.arraycopy(gram, i * old, g, i * wide, old);
        }
        double[] block = new double[wide * c];
        try (DoublePointer out = new DoublePointer((long) wide * c)) {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, wide, c, longSide, 1.0, bDouble.doubles(), longSide,
                    bDouble.doublesFromRow(old), longSide, 0.0, out, c);
            out.get(block);
        }
        for (int i = 0; i < wide; i++) {
            for (int j = 0; j < c; j++) {
                g[i * wide + old + j] = block[i * c + j];
                g[(old + j) * wide + i] = block[i * c + j];
            }
        }
        gram = g;
        width = wide;
    }

    /** The Rayleigh–Ritz estimate of the leading k triplets (k ≤ width): Z (width × k) and σ, descending. */
    Ritz ritz(int k) {
        double[] g = scratch.eigen(width * width);
        System.arraycopy(gram, 0, g, 0, width * width);
        double[] values = new double[width];
        int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', width, g, width, values);
        if (info != 0) {
            throw failed("eigensolver dsyevd", info);
        }
        double[] z = new double[width * k];
        double[] s = new double[k];
        for (int j = 0; j < k; j++) {
            int from = width - 1 - j;
            s[j] = Math.sqrt(Math.max(0, values[from]));
            for (int i = 0; i < width; i++) {
                z[i * k + j] = g[i * width + from];
            }
        }
        return new Ritz(z, s, width);
    }

    /** The triplets of a Ritz estimate as a decomposition of A (swapping sides back when A was seen transposed). */
    Svd triplets(Ritz r) {
        int k = r.s().length;
        float[] z = new float[r.width() * k];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.z()[i];
        }
        float[] left = new float[shortSide * k];
        float[] right = new float[longSide * k];
        try (FloatPointer zp = new FloatPointer(z); FloatPointer lp = new FloatPointer((long) shortSide * k);
             FloatPointer rp = new FloatPointer((long) longSide * k)) {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, shortSide, k, r.width(), 1f, qt.floats(), shortSide, zp, k, 0f, lp, k);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, longSide, k, r.width(), 1f, b.floats(), longSide, zp, k, 0f, rp, k);
            lp.get(left);
            rp.get(right);
        }
        float[] s = new float[k];
        for (int j = 0; j < k; j++) {
            s[j] = (float) r.s()[j];
            float inverse = (float) (1 / r.s()[j]);
            for (int i = 0; i < longSide; i++) {
                right[i * k + j] *= inverse;
            }
        }
        // Â = (left) Σ (right)ᵀ; Svd wants u (m × k) and vt (k × n).
        float[] u = flipped ? right : left;
        float[] v = flipped ? left : right;
        return new Svd(m, n, u, s, transpose(v, n, k));
    }

    /** The first c of a row-major r × wide matrix's columns. */
    static float[] firstColumns(float[] y, int r, int wide, int c) {
        float[] out = new float[r * c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(y, i * wide, out, i * c, c);
        }
        return out;
    }

    /** A row-major r × c matrix's transpose (c × r), in tiles that stay in cache. */
    static float[] transpose(float[] a, int r, int c) {
        return transpose(a, r, c, new float[a.length]);
    }

    /**
     * The same into {@code out} (at least r · c long); returns it. 8 × 8 tiles, each written one output row at a
     * time, in 16 × 256 blocks: on this project's machine 2.5 ms for 3072 × 768 (16 × 16 tiles read by rows took
     * 6.2: their 16 output rows, 12 KB apart, share one 8-way L1 set) and half the time of those tiles for the
     * narrow Krylov blocks (3072 × 32: 0.11 against 0.22 ms).
     */
    static float[] transpose(float[] a, int r, int c, float[] out) {
        int rows8 = r & ~7;
        int cols8 = c & ~7;
        for (int i0 = 0; i0 < rows8; i0 += 16) {
            int i1 = Math.min(rows8, i0 + 16);
            for (int j0 = 0; j0 < cols8; j0 += 256) {
                int j1 = Math.min(cols8, j0 + 256);
                for (int i = i0; i < i1; i += 8) {
                    for (int j = j0; j < j1; j += 8) {
                        transposeTile(a, c, i * c + j, out, r, j * r + i);
                    }
                }
            }
        }
        for (int i = 0; i < r; i++) {
            for (int j = i < rows8 ? cols8 : 0; j < c; j++) {
                out[j * r + i] = a[i * c + j];
            }
        }
        return out;
    }

    /** One 8 × 8 tile from {@code a[from]} (row length c) to {@code out[to]} (row length r), an output row at a time. */
    private static void transposeTile(float[] a, int c, int from, float[] out, int r, int to) {
        for (int k = 0; k < 8; k++) {
            int s = from + k;
            int o = to + k * r;
            out[o] = a[s];
            out[o + 1] = a[s + c];
            out[o + 2] = a[s + 2 * c];
            out[o + 3] = a[s + 3 * c];
            out[o + 4] = a[s + 4 * c];
            out[o + 5] = a[s + 5 * c];
            out[o + 6] = a[s + 6 * c];
            out[o + 7] = a[s + 7 * c];
        }
    }

    private static double maxColumnNorm(float[] y, int rows, int c) {
        double[] sums = new double[c];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < c; j++) {
                double v = y[i * c + j];
                sums[j] += v * v;
            }
        }
        double max = 0;
        for (double s : sums) {
            max = Math.max(max, Math.sqrt(s));
        }
        return max;
    }

    private TauLabException failed(String what, int info) {
        return new TauLabException("truncated SVD of tensor '" + name + "' failed (LAPACK " + what + " info=" + info + ")");
    }

    /** A Rayleigh–Ritz estimate in the basis's coordinates: U = Q z, σ = s, over the first {@code width} basis columns. */
    record Ritz(double[] z, double[] s, int width) {
    }
}
