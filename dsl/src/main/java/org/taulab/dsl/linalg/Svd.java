package org.taulab.dsl.linalg;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_sgesdd;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import org.taulab.dsl.TauLabException;

/**
 * A thin singular value decomposition {@code A = U diag(s) Vᵀ} of an m × n float matrix, from LAPACK's
 * divide-and-conquer {@code sgesdd} (OpenBLAS), or its leading p triplets from {@link TruncatedSvd}.
 * Row-major: {@code u} is m × p, {@code vt} is p × n, p = min(m, n) when {@link #complete()}, singular
 * values in descending order.
 */
public record Svd(int m, int n, float[] u, float[] s, float[] vt) {

    static {
        Blas.init();
    }

    public static Svd of(float[] matrix, int m, int n, String name) {
        int p = Math.min(m, n);
        float[] a = matrix.clone();
        float[] s = new float[p];
        float[] u = new float[m * p];
        float[] vt = new float[p * n];
        if (p == 0) {
            return new Svd(m, n, u, s, vt);
        }
        int info = LAPACKE_sgesdd(LAPACK_ROW_MAJOR, (byte) 'S', m, n, a, n, s, u, p, vt, n);
        if (info != 0) {
            throw new TauLabException("SVD of tensor '" + name + "' failed (LAPACK sgesdd info=" + info
                    + (info > 0 ? ", did not converge" : ", bad argument") + ")");
        }
        return new Svd(m, n, u, s, vt);
    }

    public int p() {
        return s.length;
    }

    /** Whether this holds every triplet (p = min(m, n)), not only the leading ones. */
    public boolean complete() {
        return s.length == Math.min(m, n);
    }

    /** Fails when the leading k triplets are asked of a truncated decomposition that holds fewer. */
    public void requireRank(int k) {
        if (k > p() && !complete()) {
            throw new IllegalStateException("a rank-" + p() + " truncated decomposition was asked for rank " + k);
        }
    }

    /** {@code k = max(1, floor(r · min(m, n)))}, and 0 for r = 0 (docs/algorithms.md, the low-rank step). */
    public static int rankFor(double ratio, int m, int n) {
        if (ratio < 0 || ratio > 1 || Double.isNaN(ratio)) {
            throw new TauLabException("rank ratio " + ratio + " is outside [0, 1]");
        }
        if (ratio == 0) {
            return 0;
        }
        return Math.max(1, (int) Math.floor(ratio * Math.min(m, n) + 1e-9));
    }

    /** {@code Σ_{i≤k} σ_i u_i v_iᵀ} as a row-major m × n array. */
    public float[] truncate(int k) {
        return sumOfTruncations(new Svd[] {this}, k, 1f);
    }

    /** Below this many multiply-adds the sum of truncations is one product on the calling thread. */
    static final long PARALLEL_WORK = 1L << 26;

    /**
     * {@code scale · Σ_t SVD_k(A_t)} of several same-shaped matrices in one matrix product: the scaled
     * left factors side by side times the right factors stacked (inner dimension T·k). BLAS runs single-threaded
     * (see {@link Blas}), so a large product is split into row blocks, one per core, computed in parallel: at CART's
     * ViT-B/32 shapes (inner 8 · 61) these products are about a tenth of the merge's arithmetic, and one thread left a
     * core idle meanwhile.
     */
    public static float[] sumOfTruncations(Svd[] svds, int k, float scale) {
        int m = svds[0].m;
        int n = svds[0].n;
        float[] out = new float[m * n];
        for (Svd d : svds) {
            d.requireRank(k);
        }
        int kk = Math.min(k, Math.min(m, n));
        if (kk == 0) {
            return out;
        }
        int inner = kk * svds.length;
        float[] right = new float[inner * n];
        for (int t = 0; t < svds.length; t++) {
            System.arraycopy(svds[t].vt, 0, right, t * kk * n, kk * n);
        }
        long work = (long) m * n * inner;
        int parts = work < PARALLEL_WORK ? 1 : Math.min(m, Runtime.getRuntime().availableProcessors());
        java.util.stream.IntStream rows = java.util.stream.IntStream.range(0, parts);
        (parts > 1 ? rows.parallel() : rows).forEach(part -> {
            int from = (int) ((long) part * m / parts);
            int to = (int) ((long) (part + 1) * m / parts);
            int height = to - from;
            float[] left = new float[height * inner];
            for (int t = 0; t < svds.length; t++) {
                Svd d = svds[t];
                int p = d.p();
                for (int i = 0; i < height; i++) {
                    for (int j = 0; j < kk; j++) {
                        left[i * inner + t * kk + j] = d.u[(from + i) * p + j] * d.s[j] * scale;
                    }
                }
            }
            float[] block = parts == 1 ? out : new float[height * n];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, height, n, inner, 1f, left, inner, right, n, 0f, block, n);
            if (block != out) {
                System.arraycopy(block, 0, out, from * n, height * n);
            }
        });
        return out;
    }

    /** The orthogonal polar factor {@code P Qᵀ} of an m × c matrix A = P Σ Qᵀ (c ≤ m). */
    public static float[] polarFactor(float[] a, int m, int c, String name) {
        Svd d = of(a, m, c, name);
        float[] out = new float[m * c];
        int p = d.p();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, c, p, 1f, d.u, p, d.vt, c, 0f, out, c);
        return out;
    }
}
