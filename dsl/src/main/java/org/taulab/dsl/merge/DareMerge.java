package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * DARE (Yu et al., ICML 2024, "drop and rescale"): every entry of every τ_t is dropped with probability p and the
 * rest are scaled by 1/(1 − p), so each τ_t keeps its expected value; then task arithmetic, {@code θ_pre + λ Σ τ̃_t}
 * ({@code dare}), or TIES's sign election and disjoint mean on the rescaled vectors, {@code θ_pre + λ τ̃_ties}
 * ({@code dare-ties}; an entry whose sum is zero takes the sign of its tensor's sum). The drops are seeded per seed,
 * task and tensor, so a merge is reproducible and independent of the order tensors are computed in. Defaults:
 * p = 0.5 (no tuning: the notebooks search it on val), seed 0, λ = 0.3 for dare (as task arithmetic) and 1.0 for
 * dare-ties (as TIES).
 */
public record DareMerge(boolean ties, double drop, long seed, double lambda) implements Merge {
    static final ParamSpec DROP = ParamSpec.number("drop", 0.5, 0, 1, "probability p of dropping each entry of each task vector (below 1)");
    static final ParamSpec SEED = ParamSpec.integer("seed", 0, 0, Integer.MAX_VALUE, "seed of the drops");

    public static final MergeMethod METHOD = MergeMethod.named("dare").needsBase().order(140)
            .summary("drop each entry of each τ_t with probability p, rescale the rest by 1/(1 − p), then task arithmetic")
            .source("Yu et al. 2024, Language models are Super Mario (DARE)")
            .param(DROP).param(SEED)
            .param(ParamSpec.lambda(TaskArithmeticMerge.DEFAULT_LAMBDA))
            .build(v -> new DareMerge(false, below1(v.number("drop"), "dare"), v.integer("seed"), v.number("lambda")));

    public static final MergeMethod TIES = MergeMethod.named("dare-ties").needsBase().order(141)
            .summary("DARE's drop and rescale, then TIES's sign election and disjoint mean; θ_pre + λ·that")
            .source("Yu et al. 2024 (DARE) with Yadav et al. 2023 (TIES)")
            .param(DROP).param(SEED)
            .param(ParamSpec.lambda(1.0))
            .build(v -> new DareMerge(true, below1(v.number("drop"), "dare-ties"), v.integer("seed"), v.number("lambda")));

    private static double below1(double p, String method) {
        if (p >= 1) {
            throw new BadParameter(method, DROP, p, "must be below 1 (p = 1 drops everything)");
        }
        return p;
    }

    @Override
    public MergeMethod spec() {
        return ties ? TIES : METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("drop", drop);
        p.put("seed", (int) seed);
        p.put("lambda", lambda);
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        return in.build(method(), metadata(), (name, m) -> {
            List<NDArray> rescaled = new ArrayList<>();
            for (int t = 0; t < taus.size(); t++) {
                rescaled.add(dropAndRescale(taus.get(t).compute(name, m), drop, streamSeed(seed, t, name), m));
            }
            NDArray delta;
            if (ties) {
                delta = TiesMerge.disjointMean(rescaled, TiesMerge.signOfSum(TiesMerge.electedSigns(rescaled)));
            } else {
                delta = rescaled.get(0);
                for (int t = 1; t < rescaled.size(); t++) {
                    delta = delta.addi(rescaled.get(t));
                }
            }
            return delta.muli((float) lambda).addi(pre.compute(name, m));
        });
    }

    /** One seed per (seed, task, tensor). */
    static long streamSeed(long seed, int task, String tensor) {
        return seed * 0x9E3779B97F4A7C15L + task * 0xBF58476D1CE4E5B9L + tensor.hashCode();
    }

    /** Each entry kept with probability 1 − p and scaled by 1/(1 − p); the others zero. */
    static NDArray dropAndRescale(NDArray tau, double p, long seed, NDManager m) {
        if (p == 0) {
            return tau;
        }
        float[] x = tau.toFloatArray();
        SplittableRandom rnd = new SplittableRandom(seed);
        float scale = (float) (1 / (1 - p));
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble() < p ? 0f : x[i] * scale;
        }
        return m.create(x, new Shape(tau.getShape().getShape()));
    }
}
