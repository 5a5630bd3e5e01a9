package org.taulab.dsl.linalg;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.taulab.dsl.TauLabException;

/**
 * The leading k singular triplets of an m × n float matrix A by a randomized block Krylov method (Musco and
 * Musco 2015; the randomized block Lanczos of Halko, Martinsson and Tropp 2011, §4.6), at O(m n w) for a
 * Krylov space of width w instead of the full SVD's O(m n min(m, n)).
 *
 * <p>Seen from its short side (Â = A or Aᵀ, so the basis has min(m, n) rows), a Gaussian block Ω of b columns
 * (fixed seed: results are reproducible) starts the space {@code span[Â Ω, (Â Âᵀ) Â Ω, (Â Âᵀ)² Â Ω, …]}. Every
 * block of it is orthonormalized against the earlier ones ({@link KrylovBasis}) and every product with A is
 * used twice: {@code W_j = Âᵀ Q_j} is a block of the Rayleigh–Ritz matrix and the seed of the next block
 * {@code Â W_j}. After each block (once the width reaches k) the Rayleigh–Ritz estimate of the top k triplets
 * is taken from the Gram matrix's eigenpairs, and the method stops when that estimate has stopped moving: its
 * change from the previous one, {@code √(‖(I − P_U) U' S'‖² + ‖(I − P_V) V' S'‖² + ‖s − s'‖²) / ‖s‖} (the part of
 * the previous estimate U' S' V'ᵀ outside the new one's column and row spaces, and the change of the singular
 * values; to first order the relative Frobenius change of the rank-k matrix), is at most {@code tolerance}.
 * Both estimates live in the same nested basis, so the measure is computed in its coordinates, in double.
 * Krylov spaces converge much faster than subspace iteration where the spectrum has no gap at k, so one
 * block's further movement is typically a small fraction of the last one: stopping at a change of 1e-4 leaves
 * the rank-k part a few 1e-6 from the exact one on ViT-B/32-shaped matrices with a flat spectrum at k.
 *
 * <p>Where A has low rank, or the rest of its spectrum is tiny next to σ₁², a block's new columns can fall
 * numerically inside the basis; those are replaced by fresh Gaussian ones ({@link KrylovBasis#add}), so the space
 * keeps growing and the stopping rule decides. It hands over to the exact SVD ({@link Svd#of}) where the estimate
 * would not be trustworthy: when σ_k is zero (A has rank below k; a zero matrix) or below 1e-2 σ₁ (the right
 * vectors, computed as Âᵀ U / σ, would lose accuracy), or σ₁ is not finite. Ω comes from
 * {@code new Random(seed)}, the fresh columns from {@code new Random(seed + 1)}.
 */
public final class TruncatedSvd {

    /** Block size b = max(minimumBlock, ⌈blockFraction · k⌉) (at most min(m, n)), stopping tolerance, block limit, seed. */
    public record Settings(int minimumBlock, double blockFraction, double tolerance, int maxBlocks, long seed) {
        public int block(int k, int m, int n) {
            return Math.min(Math.min(m, n), Math.max(minimumBlock, (int) Math.ceil(blockFraction * k)));
        }

        public Settings withMaxBlocks(int blocks) {
            return new Settings(minimumBlock, blockFraction, tolerance, blocks, seed);
        }
    }

    public static final Settings DEFAULT = new Settings(16, 0.25, 1e-4, Integer.MAX_VALUE, 20250101L);

    /** Below σ_k / σ₁ of this the right vectors Âᵀ U / σ are not accurate enough: the exact SVD answers. */
    static final double SMALLEST_RELATIVE_SIGMA = 1e-2;

    /** The starting blocks drawn so far, by seed and shape (at most this many, then drawn afresh). */
    private static final int START_LIMIT = 32;
    private static final Map<List<Long>, float[]> STARTS = new ConcurrentHashMap<>();

    /**
     * A decomposition with the Krylov blocks and width it took, the columns refilled after deflation, the last
     * block's change (NaN after one estimate), and whether the exact SVD answered instead ({@code exact}).
     */
    public record Result(Svd svd, int blocks, int width, int deflated, double change, boolean exact) {
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
            return new Result(new Svd(m, n, new float[0], new float[0], new float[0]), 0, 0, 0, 0, false);
        }
        // Room for about the width the stopping rule usually takes (three to four times k) before the buffers grow.
        int expectedWidth = 4 * k + 2 * settings.block(k, m, n);
        try (KrylovBasis basis = new KrylovBasis(a, m, n, settings.seed() + 1, expectedWidth, name)) {
            return iterate(basis, a, m, n, k, settings, name);
        }
    }

    private static Result iterate(KrylovBasis basis, float[] a, int m, int n, int k, Settings settings, String name) {
        int p = Math.min(m, n);
        int b = settings.block(k, m, n);
        float[] next = basis.apply(start(settings.seed(), basis.longSide, b), b);
        int nextColumns = b;
        KrylovBasis.Ritz previous = null;
        KrylovBasis.Ritz current = null;
        double change = Double.NaN;
        int blocks = 0;
        while (true) {
            int c = Math.min(nextColumns, p - basis.width());
            if (c < nextColumns) {
                next = KrylovBasis.firstColumns(next, basis.shortSide, nextColumns, c);
            }
            KrylovBasis.Block added = basis.add(next, c);
            blocks++;
            if (basis.width() >= k) {
                current = basis.ritz(k);
                if (!Double.isFinite(current.s()[0])) {
                    return exact(a, m, n, name, blocks, basis, change);
                }
                if (previous != null) {
                    change = change(previous, current);
                    if (change <= settings.tolerance()) {
                        break;
                    }
                }
                previous = current;
            }
            if (basis.width() == p || blocks >= settings.maxBlocks()) {
                break;
            }
            next = basis.apply(added.w(), added.columns());
            nextColumns = added.columns();
        }
        if (current == null || !(current.s()[k - 1] > 0 && current.s()[k - 1] >= SMALLEST_RELATIVE_SIGMA * current.s()[0])) {
            // The block limit came before the width reached k, or σ_k is zero (A has rank below k) or too small
            // for the right vectors Âᵀ U / σ.
            return exact(a, m, n, name, blocks, basis, change);
        }
        return new Result(basis.triplets(current), blocks, basis.width(), basis.deflated(), change, false);
    }

    /**
     * Ω, the first {@code rows · cols} values of {@code new Random(seed).nextGaussian()}: the same for every matrix
     * of one shape, so it is drawn once per shape (drawing it took a fifth of a CART merge's Java time). Read only.
     */
    static float[] start(long seed, int rows, int cols) {
        if (STARTS.size() > START_LIMIT) {
            STARTS.clear();
        }
        return STARTS.computeIfAbsent(List.of(seed, (long) rows, (long) cols), key -> KrylovBasis.gaussian(new Random(seed), rows, cols));
    }

    private static Result exact(float[] a, int m, int n, String name, int blocks, KrylovBasis basis, double change) {
        return new Result(Svd.of(a, m, n, name), blocks, basis.width(), basis.deflated(), change, true);
    }

    /**
     * The class doc's change measure between two Ritz estimates of one nested basis (the earlier one over its
     * first {@code before.width()} columns). With Z the eigenvectors of the Gram matrix G, the previous right
     * vectors are orthonormal under the current G and {@code Vᵀ V' S' = Σ Zᵀ Z'}, so with {@code C = Zᵀ Z'}:
     * {@code ‖(I − P_U) U' S'‖² = Σ s'² − ‖C S'‖²} and {@code ‖(I − P_V) V' S'‖² = Σ s'² − ‖Σ C‖²}.
     */
    static double change(KrylovBasis.Ritz before, KrylovBasis.Ritz after) {
        int k = after.s().length;
        double scale = 0;
        double moved = 0;
        double previousEnergy = 0;
        for (int j = 0; j < k; j++) {
            scale += after.s()[j] * after.s()[j];
            previousEnergy += before.s()[j] * before.s()[j];
            double d = after.s()[j] - before.s()[j];
            moved += d * d;
        }
        if (scale == 0) {
            return 0;
        }
        // C = Zᵀ Z' over the earlier estimate's rows (k × k)
        double[] c = new double[k * k];
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, k, before.width(), 1.0, after.z(), k, before.z(), k, 0.0, c, k);
        double keptLeft = 0;
        double keptRight = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double x = c[i * k + j];
                keptLeft += x * before.s()[j] * x * before.s()[j];
                keptRight += after.s()[i] * x * after.s()[i] * x;
            }
        }
        moved += Math.max(0, previousEnergy - keptLeft) + Math.max(0, previousEnergy - keptRight);
        return Math.sqrt(moved / scale);
    }

    /** The same measure between two decompositions given by their vectors: the definition, for tests. */
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
}
