package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * MagMax (Marczak et al., ECCV 2024): per entry, the task vector of largest magnitude among the tasks,
 * {@code τ_max[i] = τ_{t*}[i]} with {@code t* = argmax_t |τ_t[i]|}; {@code θ = θ_pre + λ τ_max}. A tie keeps the
 * first task's entry. Default λ = 1.0, the paper's (it takes no λ: the chosen entries are whole).
 */
public record MagMaxMerge(double lambda) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("magmax").needsBase().order(110)
            .summary("per entry the τ_t of largest magnitude; θ_pre + λ·that")
            .source("Marczak et al. 2024, MagMax: leveraging model merging for seamless continual learning")
            .param(ParamSpec.lambda(1.0))
            .build(v -> new MagMaxMerge(v.number("lambda")));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("lambda", lambda);
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        return in.build(method(), metadata(), (name, m) -> {
            NDArray first = taus.get(0).compute(name, m);
            float[] best = first.toFloatArray();
            for (int t = 1; t < taus.size(); t++) {
                float[] tau = taus.get(t).compute(name, m).toFloatArray();
                for (int i = 0; i < best.length; i++) {
                    if (Math.abs(tau[i]) > Math.abs(best[i])) {
                        best[i] = tau[i];
                    }
                }
            }
            return m.create(best, first.getShape()).muli((float) lambda).addi(pre.compute(name, m));
        });
    }
}
