package org.taulab.dsl.merge;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.Weights;

/**
 * Iso-CTS (Marczak et al., ICML 2025): Iso-C with task-specific directions in place of the sum's weakest ones. At
 * each selected m × n matrix, with r = min(m, n) and {@code M = Σ_t τ_t = U Σ Vᵀ}: each task gets
 * {@code s = round((r − floor(c·r)) / T)} directions (fewer if s·T would exceed r; half rounds up) and the common
 * subspace keeps the top {@code k = r − s·T} triplets of M; each task's s directions are the top singular triplets of
 * {@code τ_t} projected off the common left subspace, {@code (I − U_k U_kᵀ) τ_t}. The r left and the r right
 * vectors are orthogonalized together (their polar factors U⊥, V⊥) and {@code Δ = σ̄ U⊥ V⊥ᵀ}, σ̄ the mean of
 * the r singular values gathered (the common ones and the task ones). With s = 0 it is Iso-C. Every other float
 * tensor takes the mean τ_t; {@code θ = θ_pre + λ Δ}, λ the paper's α (default 1.0), c the common fraction
 * (default 0.8, the paper's). Only the leading k triplets of M and s of each projected τ_t are used, so both
 * decompositions follow {@code svd} (with the default c the common part keeps 80 % of the rank, where {@code auto}
 * takes the exact SVD, and the task parts keep a few percent, where it takes the truncated one).
 */
public record IsoCtsMerge(double lambda, double common, Selector selector, SvdChoice svd) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("iso-cts").needsBase().order(151)
            .summary("Iso-C whose weakest directions of Σ_t τ_t are replaced by each task's own top directions off the common subspace, all with one isotropic σ̄; θ_pre + λ·that")
            .source("Marczak et al. 2025, No task left behind: isotropic model merging with common and task-specific subspaces")
            .param(ParamSpec.number("lambda", 1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "scaling coefficient (the paper's α)"))
            .param(ParamSpec.number("common", 0.8, 0, 1, "fraction of each matrix's rank kept as the common subspace"))
            .param(LowRankStep.SELECT)
            .param(SvdParam.SPEC)
            .build(v -> new IsoCtsMerge(v.number("lambda"), v.number("common"), v.selector("select"), SvdParam.of(v)));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lambda", lambda);
        p.put("common", common);
        p.put("select", selector);
        p.put("svd", svd.spelling());
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        return MatrixDelta.merge(this, in, selector, lambda,
                (name, taus, rows, cols) -> isotropic(MatrixDelta.sum(taus), taus, rows, cols, common, svd, name));
    }

    /** Directions per task for rank r, T tasks and common fraction c (see the class doc). */
    static int perTask(int r, int tasks, double c) {
        int s = (int) Math.floor((r - Math.floor(c * r + 1e-9)) / tasks + 0.5);
        while (s * tasks > r) {
            s--;
        }
        return s;
    }

    /** {@code σ̄ U⊥ V⊥ᵀ} of the common and task-specific triplets of one row-major rows × cols matrix. */
    static float[] isotropic(float[] sum, float[][] taus, int rows, int cols, double c, SvdChoice svd, String name) {
        int r = Math.min(rows, cols);
        int s = perTask(r, taus.length, c);
        int k = r - s * taus.length;
        Svd whole = svd.decompose(sum, rows, cols, k, name);
        int wp = whole.p();
        float[] left = new float[rows * r];
        float[] right = new float[cols * r];
        double sigma = 0;
        for (int j = 0; j < k; j++) {
            sigma += whole.s()[j];
            for (int i = 0; i < rows; i++) {
                left[i * r + j] = whole.u()[i * wp + j];
            }
            for (int i = 0; i < cols; i++) {
                right[i * r + j] = whole.vt()[j * cols + i];
            }
        }
        float[] uk = new float[rows * Math.max(1, k)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(whole.u(), i * wp, uk, i * Math.max(1, k), k);
        }
        for (int t = 0; t < taus.length && s > 0; t++) {
            float[] off = taus[t].clone();
            if (k > 0) {
                float[] coords = new float[k * cols];
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, cols, rows, 1f, uk, k, taus[t], cols, 0f, coords, cols);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, cols, k, -1f, uk, k, coords, cols, 1f, off, cols);
            }
            Svd own = svd.decompose(off, rows, cols, s, name);
            int p = own.p();
            for (int j = 0; j < s; j++) {
                int col = k + t * s + j;
                sigma += own.s()[j];
                for (int i = 0; i < rows; i++) {
                    left[i * r + col] = own.u()[i * p + j];
                }
                for (int i = 0; i < cols; i++) {
                    right[i * r + col] = own.vt()[j * cols + i];
                }
            }
        }
        float[] uPerp = Svd.polarFactor(left, rows, r, name);
        float[] vPerp = Svd.polarFactor(right, cols, r, name);
        float mean = (float) (sigma / Math.max(1, r));
        for (int i = 0; i < uPerp.length; i++) {
            uPerp[i] *= mean;
        }
        float[] out = new float[rows * cols];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, cols, r, 1f, uPerp, r, vPerp, r, 0f, out, cols);
        return out;
    }
}
