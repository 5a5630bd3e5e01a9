package org.taulab.dsl.linalg;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_sgeqrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_sorgqr;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.Random;
import org.taulab.dsl.TauLabException;

/**
 * The leading k singular triplets of an m × n float matrix A by randomized subspace iteration (Halko,
 * Martinsson and Tropp 2011, Algorithms 4.4 and 5.1), at O(m n l) per pass instead of the full SVD's
 * O(m n min(m, n)), l = k + oversampling.
 *
 * <p>A Gaussian test matrix Ω (n × l, fixed seed, so results are reproducible) gives {@code Q = orth(A Ω)}.
 * Each pass then computes {@code Bᵀ = Aᵀ Q} and its small SVD {@code Bᵀ = W Σ Zᵀ}: the Rayleigh–Ritz
 * approximation {@code A ≈ (Q Z) Σ Wᵀ}, whose first k triplets are the current estimate. W is an orthonormal
 * basis of Aᵀ Q, so the next subspace is {@code Q = orth(A W)} (one power step, re-orthonormalized every
 * time, which float32 needs). The iteration stops when the rank-k estimate has stopped moving: its change
 * from one pass to the next, measured as
 * {@code √(‖(I − P_U) U' S'‖² + ‖(I − P_V) V' S'‖² + ‖s − s'‖²) / ‖s‖} (the part of the previous estimate
 * U' S' V'ᵀ outside the new one's column and row spaces, and the change of the singular values; to first
 * order the relative Frobenius change of the rank-k matrix), is at most {@code tolerance}, or after
 * {@code maxPasses}. Only linear quantities enter that measure, so float32 resolves it down to about 1e-6.
 */
public final class TruncatedSvd {

    /** Oversampling (extra columns beyond k: max(minimum, fraction · k)), stopping tolerance, pass limit, seed. */
    public record Settings(int oversamplingMinimum, double oversamplingFraction, double tolerance, int maxPasses, long seed) {
        public int columns(int k, int m, int n) {
            int extra = Math.max(oversamplingMinimum, (int) Math.ceil(oversamplingFraction * k));
            return Math.min(Math.min(m, n), k + extra);
        }
    }

    public static final Settings DEFAULT = new Settings(10, 1.0, 1e-5, 24, 20250101L);

    /** A decomposition with the number of passes it took and the last pass's change. */
    public record Result(Svd svd, int passes, double change) {
    }

    static {
        Blas.init();
    }

    private TruncatedSvd() {
    }

    public static Svd of(float[] a, int m, int n, int k, String name) {
        return run(a, m, n, k, DEFAULT, name).svd();
    }

    public static Result run(float[] a, int m, int n, int k, Settings settings, String name) {
        int p = Math.min(m, n);
        if (k < 0 || k > p) {
            throw new TauLabException("tensor '" + name + "': rank " + k + " is outside [0, " + p + "]");
        }
        if (k == 0) {
            return new Result(new Svd(m, n, new float[0], new float[0], new float[0]), 0, 0);
        }
        int l = settings.columns(k, m, n);
        float[] q = gaussian(n, l, settings.seed());
        float[] y = new float[m * l];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, l, n, 1f, a, n, q, l, 0f, y, l);
        orthonormalize(y, m, l, name);
        float[] bt = new float[n * l];
        Svd previous = null;
        double change = Double.NaN;
        int passes = 0;
        while (true) {
            passes++;
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, l, m, 1f, a, n, y, l, 0f, bt, l);
            Svd small = Svd.of(bt, n, l, name);
            Svd current = leading(small, y, m, n, l, k);
            if (previous != null) {
                change = change(previous, current);
                if (change <= settings.tolerance()) {
                    return new Result(current, passes, change);
                }
            }
            if (passes >= settings.maxPasses()) {
                return new Result(current, passes, change);
            }
            previous = current;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, l, n, 1f, a, n, small.u(), l, 0f, y, l);
            orthonormalize(y, m, l, name);
        }
    }

    /** The first k triplets of {@code A ≈ (Q Z) Σ Wᵀ} from {@code Bᵀ = W Σ Zᵀ} (W: small.u, Zᵀ: small.vt). */
    private static Svd leading(Svd small, float[] q, int m, int n, int l, int k) {
        float[] u = new float[m * k];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, k, l, 1f, q, l, small.vt(), l, 0f, u, k);
        float[] vt = new float[k * n];
        float[] w = small.u();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                vt[j * n + i] = w[i * l + j];
            }
        }
        float[] s = new float[k];
        System.arraycopy(small.s(), 0, s, 0, k);
        return new Svd(m, n, u, s, vt);
    }

    /** The class doc's change measure between two rank-k estimates. */
    static double change(Svd before, Svd after) {
        int k = after.s().length;
        double scale = 0;
        double moved = 0;
        for (int j = 0; j < k; j++) {
            scale += (double) after.s()[j] * after.s()[j];
            double d = (double) after.s()[j] - before.s()[j];
            moved += d * d;
        }
        if (scale == 0) {
            return 0;
        }
        moved += outside(after.u(), before.u(), before.s(), after.m(), k, false);
        moved += outside(after.vt(), before.vt(), before.s(), after.n(), k, true);
        return Math.sqrt(moved / scale);
    }

    /**
     * {@code ‖(I − X Xᵀ) Y S‖²_F} for orthonormal columns X and Y (r × k each, row-major r × k, or k × r
     * when {@code transposed}), S = diag(s).
     */
    private static double outside(float[] x, float[] y, float[] s, int r, int k, boolean transposed) {
        float[] coords = new float[k * k];
        float[] residual = y.clone();
        if (transposed) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, k, k, r, 1f, x, r, y, r, 0f, coords, k);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, r, k, -1f, coords, k, x, r, 1f, residual, r);
        } else {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, k, r, 1f, x, k, y, k, 0f, coords, k);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, r, k, k, -1f, x, k, coords, k, 1f, residual, k);
        }
        double sum = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < k; j++) {
                double v = (double) (transposed ? residual[j * r + i] : residual[i * k + j]) * s[j];
                sum += v * v;
            }
        }
        return sum;
    }

    /** Replaces the columns of a row-major m × l matrix (l ≤ m) by an orthonormal basis of their span (Householder QR). */
    static void orthonormalize(float[] y, int m, int l, String name) {
        float[] tau = new float[l];
        int info = LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, m, l, y, l, tau);
        if (info == 0) {
            info = LAPACKE_sorgqr(LAPACK_ROW_MAJOR, m, l, l, y, l, tau);
        }
        if (info != 0) {
            throw new TauLabException("truncated SVD of tensor '" + name + "' failed (LAPACK QR info=" + info + ")");
        }
    }

    private static float[] gaussian(int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
