package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * EMR-Merging (Huang et al., NeurIPS 2024), elect, mask, rescale: the unified vector {@code τ_uni = γ ⊙ ε} with
 * {@code γ = sign(Σ_t τ_t)} and {@code ε} per entry the largest {@code |τ_t|} among the tasks whose sign agrees with
 * γ (zero where γ is zero); task t's mask {@code M_t = [τ_t ⊙ τ_uni > 0]} and rescaler
 * {@code λ_t = Σ|τ_t| / Σ|M_t ⊙ τ_uni|}, both sums over every float tensor of the model, as the paper's code does.
 * The merge writes the model of the one task named by {@code task}, {@code θ_pre + λ·λ_t·M_t ⊙ τ_uni}: like
 * CART-Indexing it needs the task id at inference, and tables mark it so. {@code λ} is an extra scale, 1 in the
 * paper.
 */
public record EmrMerge(String task, double lambda) implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("emr").needsBase().order(170)
            .summary("elect τ_uni = sign(Σ τ_t)·(largest agreeing |τ_t|); task t's model θ_pre + λ·λ_t·(mask_t ⊙ τ_uni), λ_t restoring Σ|τ_t| (needs the task id)")
            .source("Huang et al. 2024, EMR-Merging: tuning-free high-performance model merging")
            .param(TaskChoice.TASK)
            .param(ParamSpec.number("lambda", 1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "scaling coefficient on top of the rescaler λ_t (1 in the paper)"))
            .build(v -> new EmrMerge(v.text("task"), v.number("lambda")));

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        TaskChoice.with(p, task);
        p.put("lambda", lambda);
        return p;
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> meta = new LinkedHashMap<>(Merge.super.metadata());
        if (task != null) {
            meta.put("taulab.task", task);
        }
        return meta;
    }

    @Override
    public Weights merge(MergeInputs in) {
        int t = TaskChoice.index(method(), in, task);
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        double own = 0;
        double kept = 0;
        for (Map.Entry<String, TensorEntry> e : in.layout().entries().entrySet()) {
            if (!e.getValue().isFloat()) {
                continue;
            }
            try (NDManager m = org.taulab.dsl.tensor.Tensors.scope()) {
                float[][] tau = MatrixDelta.values(taus, e.getKey(), m);
                float[] uni = unified(tau);
                for (int i = 0; i < uni.length; i++) {
                    own += Math.abs(tau[t][i]);
                    if (agrees(tau[t][i], uni[i])) {
                        kept += Math.abs(uni[i]);
                    }
                }
            }
        }
        double scale = lambda * (kept == 0 ? 0 : own / kept);
        return in.build(method() + "(" + task + ")", metadata(), (name, m) -> {
            float[][] tau = MatrixDelta.values(taus, name, m);
            float[] uni = unified(tau);
            float[] out = new float[uni.length];
            for (int i = 0; i < uni.length; i++) {
                out[i] = agrees(tau[t][i], uni[i]) ? (float) (scale * uni[i]) : 0f;
            }
            NDArray base = pre.compute(name, m);
            return m.create(out, base.getShape()).addi(base);
        });
    }

    /** {@code τ_t ⊙ τ_uni > 0}, by signs (a product of two tiny values would underflow to 0). */
    static boolean agrees(float a, float b) {
        return a != 0 && b != 0 && (a > 0) == (b > 0);
    }

    /** {@code τ_uni}: the elected sign times the largest magnitude among the entries that carry it. */
    static float[] unified(float[][] tau) {
        int n = tau[0].length;
        float[] uni = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (float[] x : tau) {
                sum += x[i];
            }
            float best = 0;
            for (float[] x : tau) {
                if (sum > 0 ? x[i] > best : sum < 0 && x[i] < best) {
                    best = x[i];
                }
            }
            uni[i] = best;
        }
        return uni;
    }
}
