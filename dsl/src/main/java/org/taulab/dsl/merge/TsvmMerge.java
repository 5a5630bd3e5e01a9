package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * TSV-M (Gargiulo et al. 2025): at each selected matrix keep {@code k = max(1, floor(min(m,n)/T))}
 * singular triplets of every τ_t, put the left and right vectors side by side, replace each block by its
 * orthogonal polar factor, and rebuild {@code Δ = U⊥ diag(σ) V⊥ᵀ}; other tensors take the mean τ_t.
 * {@code θ = θ_pre + λ Δ}, default λ = 1.0.
 */
public record TsvmMerge(double lambda, Selector selector, SvdChoice svd) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("tsvm").needsBase().order(70)
            .summary("per selected matrix, each τ_t's top min(m,n)/T singular triplets, whitened together (orthogonal polar factors); θ_pre + λ·that")
            .source("Gargiulo et al. 2025, Task singular vectors: reducing task interference in model merging (TSV-M)")
            .param(ParamSpec.lambda(1.0))
            .param(LowRankStep.SELECT)
            .param(SvdParam.SPEC)
            .build(v -> new TsvmMerge(v.number("lambda"), v.selector("select"), SvdParam.of(v)));

    public TsvmMerge() {
        this(1.0, Selector.defaultMatrices(), SvdChoice.AUTO);
    }

    public TsvmMerge lambda(double l) {
        return new TsvmMerge(l, selector, svd);
    }

    public TsvmMerge selector(Selector s) {
        return new TsvmMerge(lambda, s, svd);
    }

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lambda", lambda);
        p.put("select", selector);
        p.put("svd", svd.spelling());
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        return in.build(method(), metadata(), (name, m) -> {
            NDArray delta;
            if (selector.test(in.layout().entry(name))) {
                long[] shape = in.layout().entry(name).shape();
                int rows = (int) shape[0];
                int cols = (int) shape[1];
                Svd[] svds = LowRankSum.decompose(taus, name, perTask(rows, cols, taus.size()), svd, in);
                delta = m.create(singularVectorMerge(svds, name, rows, cols), new Shape(shape));
                in.doneWith(taus, name);
            } else {
                delta = taus.get(0).compute(name, m);
                for (int t = 1; t < taus.size(); t++) {
                    delta.addi(taus.get(t).compute(name, m));
                }
                delta.divi(taus.size());
            }
            return delta.muli((float) lambda).addi(pre.compute(name, m));
        });
    }

    /** Triplets kept per task: {@code max(1, floor(min(m, n) / T))}. */
    static int perTask(int rows, int cols, int tasks) {
        return Math.max(1, Math.min(rows, cols) / tasks);
    }

    static float[] singularVectorMerge(Svd[] svds, String name, int rows, int cols) {
        int tasks = svds.length;
        int k = perTask(rows, cols, tasks);
        int c = k * tasks;
        float[] left = new float[rows * c];
        float[] right = new float[cols * c];
        float[] sigma = new float[c];
        for (int t = 0; t < tasks; t++) {
            Svd d = svds[t];
            int p = d.p();
            d.requireRank(k);
            int kk = Math.min(k, p);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < kk; j++) {
                    left[i * c + t * k + j] = d.u()[i * p + j];
                }
            }
            for (int j = 0; j < kk; j++) {
                sigma[t * k + j] = d.s()[j];
                for (int i = 0; i < cols; i++) {
                    right[i * c + t * k + j] = d.vt()[j * cols + i];
                }
            }
        }
        float[] uPerp = c <= rows ? Svd.polarFactor(left, rows, c, name) : left;
        float[] vPerp = c <= cols ? Svd.polarFactor(right, cols, c, name) : right;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < c; j++) {
                uPerp[i * c + j] *= sigma[j];
            }
        }
        float[] out = new float[rows * cols];
        org.bytedeco.openblas.global.openblas.cblas_sgemm(
                org.bytedeco.openblas.global.openblas.CblasRowMajor,
                org.bytedeco.openblas.global.openblas.CblasNoTrans,
                org.bytedeco.openblas.global.openblas.CblasTrans,
                rows, cols, c, 1f, uPerp, c, vPerp, c, 0f, out, cols);
        return out;
    }
}
