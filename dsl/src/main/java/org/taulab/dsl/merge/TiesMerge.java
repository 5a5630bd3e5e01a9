package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;

/**
 * TIES-merging (Yadav et al. 2023): trim each τ_t to its top-k magnitudes (over the whole vector by
 * default, or per tensor), elect a sign per entry from the trimmed sum (zero takes the majority sign of
 * the scope), average only the trimmed values that agree with it, and add {@code λ τ_ties} to θ_pre.
 */
public record TiesMerge(double topK, double lambda, Scope scope) implements Merge {
    public enum Scope { GLOBAL, TENSOR }

    public static final MergeMethod METHOD = MergeMethod.named("ties").needsBase().order(30)
            .summary("trim each τ_t to its top-k magnitudes, elect a sign per entry, average the agreeing values, add λ·that")
            .source("Yadav et al. 2023, TIES-Merging")
            .param(ParamSpec.number("topk", 0.2, 0, 1, "fraction of each task vector kept"))
            .param(ParamSpec.lambda(1.0))
            .param(ParamSpec.choice("scope", "global", List.of("global", "tensor"), "trim over the whole vector or per tensor").alias("ties_scope"))
            .build(v -> new TiesMerge(v.number("topk"), v.number("lambda"), parseScope(v.choice("scope"))));

    public TiesMerge() {
        this(0.2, 1.0, Scope.GLOBAL);
    }

    public TiesMerge topK(double k) {
        return new TiesMerge(k, lambda, scope);
    }

    public TiesMerge lambda(double l) {
        return new TiesMerge(topK, l, scope);
    }

    public TiesMerge scope(Scope s) {
        return new TiesMerge(topK, lambda, s);
    }

    static Scope parseScope(String s) {
        return switch (s.toLowerCase()) {
            case "global" -> Scope.GLOBAL;
            case "tensor" -> Scope.TENSOR;
            default -> throw new TauLabException("ties scope '" + s + "' is not global or tensor");
        };
    }

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("topk", topK);
        p.put("lambda", lambda);
        p.put("scope", scope.name().toLowerCase());
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        Weights pre = in.requireBase(method());
        List<TaskVector> taus = in.taskVectors();
        Map<String, float[]> thresholds = new HashMap<>();
        Map<String, Float> majority = new HashMap<>();
        if (scope == Scope.GLOBAL) {
            float[] global = globalThresholds(taus, pre.floatKeys());
            pre.floatKeys().forEach(k -> thresholds.put(k, global));
            float sign = majoritySign(taus, pre.floatKeys(), thresholds);
            pre.floatKeys().forEach(k -> majority.put(k, sign));
        }
        return in.build(method(), metadata(), (name, m) -> {
            List<TrimmedVector> trimmed = trim(taus, name, thresholds.get(name));
            Float sign = majority.get(name);
            float elected = sign != null ? sign : TiesElection.signSum(trimmed, pre.entry(name).elements()) < 0 ? -1f : 1f;
            try (NDManager s = m.newSubManager()) {
                return TiesElection.merge(trimmed, elected, lambda, pre.compute(name, s), m);
            }
        });
    }

    private float[] globalThresholds(List<TaskVector> taus, List<String> keys) {
        long n = 0;
        for (String k : keys) {
            n += taus.get(0).entry(k).elements();
        }
        MagnitudeThreshold[] select = new MagnitudeThreshold[taus.size()];
        for (int t = 0; t < select.length; t++) {
            select[t] = new MagnitudeThreshold(MagnitudeThreshold.keepCount(topK, n));
        }
        if (select[0].needsValues()) {
            for (int pass = 0; pass < 2; pass++) {
                for (String k : keys) {
                    for (int t = 0; t < select.length; t++) {
                        try (NDManager m = Tensors.scope()) {
                            select[t].add(taus.get(t).compute(k, m), pass == 0);
                        }
                    }
                }
                if (pass == 0) {
                    for (MagnitudeThreshold s : select) {
                        s.finishFirstPass();
                    }
                }
            }
        }
        float[] thr = new float[select.length];
        for (int t = 0; t < thr.length; t++) {
            thr[t] = select[t].threshold();
        }
        return thr;
    }

    private float majoritySign(List<TaskVector> taus, List<String> keys, Map<String, float[]> thresholds) {
        long total = 0;
        for (String k : keys) {
            total += TiesElection.signSum(trim(taus, k, thresholds.get(k)), taus.get(0).entry(k).elements());
        }
        return total < 0 ? -1f : 1f;
    }

    /**
     * Each τ_t's tensor {@code name} trimmed to the entries at or above its threshold ({@code thr}, or the tensor's
     * own top-k when null), computed one task at a time: on a billion-parameter model a tensor is a gigabyte in
     * float32, and only its surviving entries are kept.
     */
    private List<TrimmedVector> trim(List<TaskVector> taus, String name, float[] thr) {
        List<TrimmedVector> out = new ArrayList<>();
        for (int t = 0; t < taus.size(); t++) {
            try (NDManager m = Tensors.scope()) {
                NDArray tau = taus.get(t).compute(name, m);
                out.add(TrimmedVector.of(tau, thr != null ? thr[t] : tensorThreshold(tau)));
            }
        }
        return out;
    }

    private float tensorThreshold(NDArray values) {
        MagnitudeThreshold s = new MagnitudeThreshold(MagnitudeThreshold.keepCount(topK, values.size()));
        if (s.needsValues()) {
            s.add(values, true);
            s.finishFirstPass();
            s.add(values, false);
        }
        return s.threshold();
    }

    /** The dense formulation, for merges that hold every task's tensor anyway (DARE-TIES). */
    static NDArray electedSigns(List<NDArray> trimmed) {
        try (NDArray sum = trimmed.get(0).duplicate()) {
            for (int t = 1; t < trimmed.size(); t++) {
                sum.addi(trimmed.get(t));
            }
            return sum.sign();
        }
    }

    static float signOfSum(NDArray signs) {
        return signs.sum().getFloat() < 0 ? -1f : 1f;
    }

    /** Mean of the trimmed values whose sign is the elected one (zeros take {@code majority}). */
    static NDArray disjointMean(List<NDArray> trimmed, float majority) {
        NDArray gamma = electedSigns(trimmed);
        try (NDArray zero = gamma.eq(0); NDArray fill = zero.toType(DataType.FLOAT32, false)) {
            gamma.addi(fill.muli(majority));
        }
        NDArray sum = null;
        NDArray count = null;
        for (NDArray x : trimmed) {
            NDArray agree;
            try (NDArray sign = x.sign(); NDArray same = sign.eq(gamma)) {
                agree = same.toType(DataType.FLOAT32, false);
            }
            NDArray agreeing = x.mul(agree);
            if (sum == null) {
                sum = agreeing;
            } else {
                sum.addi(agreeing);
                agreeing.close();
            }
            if (count == null) {
                count = agree;
            } else {
                count.addi(agree);
                agree.close();
            }
        }
        gamma.close();
        try (NDArray atLeastOne = count.maximum(1f)) {
            sum.divi(atLeastOne);
        }
        count.close();
        return sum;
    }
}
