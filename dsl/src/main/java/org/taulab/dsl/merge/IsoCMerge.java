package org.taulab.dsl.merge;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.Weights;

/**
 * Iso-C (Marczak et al., ICML 2025, "no task left behind"): at each selected matrix, with {@code M = Σ_t τ_t = U Σ Vᵀ}
 * and {@code σ̄} the mean of its min(m, n) singular values, {@code Δ = σ̄ U Vᵀ}: the task-arithmetic sum with its
 * spectrum made flat (isotropic); every other float tensor takes the mean {@code (1/T) Σ τ_t}; {@code θ = θ_pre + λ Δ}.
 * The paper's α is λ here, default 1.0 (the notebooks search {0.5, 0.6, …, 2.0} on val).
 */
public record IsoCMerge(double lambda, Selector selector) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("iso-c").needsBase().order(150)
            .summary("per selected matrix Σ_t τ_t = U Σ Vᵀ made isotropic, σ̄ U Vᵀ with σ̄ the mean singular value; elsewhere the mean τ_t; θ_pre + λ·that")
            .source("Marczak et al. 2025, No task left behind: isotropic model merging with common and task-specific subspaces")
            .param(ParamSpec.number("lambda", 1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "scaling coefficient (the paper's α)"))
            .param(LowRankStep.SELECT)
            .build(v -> new IsoCMerge(v.number("lambda"), v.selector("select")));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lambda", lambda);
        p.put("select", selector);
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        return MatrixDelta.merge(this, in, selector, lambda, (name, taus, rows, cols) -> isotropic(MatrixDelta.sum(taus), rows, cols, name));
    }

    /** {@code σ̄ U Vᵀ} of a row-major m × n matrix. */
    static float[] isotropic(float[] matrix, int m, int n, String name) {
        Svd d = Svd.of(matrix, m, n, name);
        double mean = 0;
        for (float s : d.s()) {
            mean += s;
        }
        float[] flat = new float[d.p()];
        Arrays.fill(flat, (float) (mean / Math.max(1, d.p())));
        return new Svd(m, n, d.u(), flat, d.vt()).truncate(d.p());
    }
}
