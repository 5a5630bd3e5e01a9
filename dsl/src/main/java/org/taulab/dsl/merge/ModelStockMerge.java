package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * Model Stock (Jang et al., ECCV 2024): per tensor, with {@code c} the mean cosine over pairs of task vectors,
 * {@code t = T c / (1 + (T − 1) c)} and {@code θ = t θ_avg + (1 − t) θ_pre}. Identical fine-tunes (c = 1) give
 * t = 1, the model itself; orthogonal ones (c = 0) give θ_pre. A tensor where a task vector is zero counts that
 * pair's cosine as 0, and a negative mean cosine counts as 0 (t = 0: the formula assumes the fine-tunes share a
 * direction, and would divide by zero at c = −1/(T − 1)). With one model, t = 1. No parameters.
 */
public record ModelStockMerge() implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("model-stock").needsBase().order(120)
            .summary("per tensor t = T·c / (1 + (T − 1)·c) from the mean pairwise cosine c of the τ_t; t·θ_avg + (1 − t)·θ_pre")
            .source("Jang et al. 2024, Model Stock: all we need is just a few fine-tuned models")
            .build(v -> new ModelStockMerge());

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        Weights avg = in.average();
        List<TaskVector> taus = in.taskVectors();
        int n = taus.size();
        return in.build(method(), metadata(), (name, m) -> {
            double t = 1;
            if (n > 1) {
                double[][] flat = new double[n][];
                double[] norms = new double[n];
                for (int i = 0; i < n; i++) {
                    float[] x = taus.get(i).compute(name, m).toFloatArray();
                    flat[i] = new double[x.length];
                    double s = 0;
                    for (int k = 0; k < x.length; k++) {
                        flat[i][k] = x[k];
                        s += (double) x[k] * x[k];
                    }
                    norms[i] = Math.sqrt(s);
                }
                double sum = 0;
                int pairs = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        double dot = 0;
                        for (int k = 0; k < flat[i].length; k++) {
                            dot += flat[i][k] * flat[j][k];
                        }
                        sum += norms[i] == 0 || norms[j] == 0 ? 0 : dot / (norms[i] * norms[j]);
                        pairs++;
                    }
                }
                double c = Math.max(0, sum / pairs);
                t = n * c / (1 + (n - 1) * c);
            }
            NDArray p = pre.compute(name, m);
            return avg.compute(name, m).muli((float) t).addi(p.muli((float) (1 - t)));
        });
    }
}
