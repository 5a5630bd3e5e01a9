package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * Consensus task arithmetic with TALL masks (Wang et al. 2024): {@code τ_MTL = Σ τ_t}; task t's mask
 * {@code m_t = |τ_t| ≥ λ_t |τ_MTL − τ_t|}; entries kept by at least {@code minAgree} masks;
 * {@code θ = θ_pre + λ (mask ⊙ τ_MTL)}. Defaults: λ = 0.3 (as task arithmetic), λ_t = 0.4 for every task
 * (the middle of the {0.2 … 0.6} grid), minAgree = 2.
 */
public record ConsensusMerge(double lambda, List<Double> tallLambdas, int minAgree) implements Merge {
    public static final double DEFAULT_TALL_LAMBDA = 0.4;

    public static final MergeMethod METHOD = MergeMethod.named("consensus").needsBase().order(40)
            .summary("task arithmetic on the entries that at least min_agree tasks' TALL masks keep")
            .source("Wang et al. 2024, Localizing task information for improved model merging and compression")
            .param(ParamSpec.lambda(TaskArithmeticMerge.DEFAULT_LAMBDA))
            .param(ParamSpec.numbers("tall_lambda", DEFAULT_TALL_LAMBDA, 0, Double.POSITIVE_INFINITY, "TALL-mask threshold λ_t: one for every task, or one per task"))
            .param(ParamSpec.integer("min_agree", 2, 1, Integer.MAX_VALUE, "entries kept by at least this many task masks"))
            .build(v -> new ConsensusMerge(v.number("lambda"), v.numbers("tall_lambda"), v.integer("min_agree")));

    public ConsensusMerge() {
        this(TaskArithmeticMerge.DEFAULT_LAMBDA, List.of(), 2);
    }

    public ConsensusMerge lambda(double l) {
        return new ConsensusMerge(l, tallLambdas, minAgree);
    }

    /** One λ_t for every task, or a list with one per task. */
    public ConsensusMerge tallLambdas(List<Double> perTask) {
        return new ConsensusMerge(lambda, List.copyOf(perTask), minAgree);
    }

    public ConsensusMerge minAgree(int k) {
        return new ConsensusMerge(lambda, tallLambdas, k);
    }

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lambda", lambda);
        p.put("tall_lambda", tallLambdas.isEmpty() ? List.of(DEFAULT_TALL_LAMBDA) : tallLambdas);
        p.put("min_agree", minAgree);
        return p;
    }

    List<Double> lambdasFor(int tasks) {
        if (tallLambdas.isEmpty()) {
            return Collections.nCopies(tasks, DEFAULT_TALL_LAMBDA);
        }
        if (tallLambdas.size() == 1) {
            return Collections.nCopies(tasks, tallLambdas.get(0));
        }
        if (tallLambdas.size() != tasks) {
            throw new TauLabException("consensus: " + tallLambdas.size() + " TALL λ values for " + tasks + " tasks");
        }
        return tallLambdas;
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        List<Double> tall = lambdasFor(taus.size());
        return in.build(method(), metadata(), (name, m) -> {
            NDArray[] tau = new NDArray[taus.size()];
            NDArray mtl = null;
            for (int t = 0; t < tau.length; t++) {
                tau[t] = taus.get(t).compute(name, m);
                mtl = mtl == null ? tau[t].duplicate() : mtl.addi(tau[t]);
            }
            NDArray votes = null;
            for (int t = 0; t < tau.length; t++) {
                NDArray others = mtl.sub(tau[t]).abs().muli(tall.get(t).floatValue());
                NDArray mask = tau[t].abs().gte(others).toType(DataType.FLOAT32, false);
                votes = votes == null ? mask : votes.addi(mask);
            }
            NDArray consensus = votes.gte((float) minAgree).toType(DataType.FLOAT32, false);
            return mtl.muli(consensus).muli((float) lambda).addi(pre.compute(name, m));
        });
    }
}
