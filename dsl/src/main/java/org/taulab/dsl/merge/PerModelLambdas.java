package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.Weights;

/**
 * One λ per fine-tuned model ({@code --lambda 0.3,0.5,…}, {@code lambda: [0.3, 0.5]}, or a Java list): model t's
 * task vector enters the merge as {@code λ_t τ_t}, and the merge itself runs with λ = 1. Task arithmetic becomes
 * {@code θ_pre + Σ λ_t τ_t}; for every merge homogeneous in its task vectors (TIES, DARE, TSV-M, Iso-C, …) a list of
 * equal values is the same as that one value, so a list generalizes the scalar. Merges without a base (CART,
 * averaging) have no task vectors to weight and refuse a list.
 */
record PerModelLambdas(Merge inner, List<Double> lambdas) implements Merge {
    PerModelLambdas {
        lambdas = List.copyOf(lambdas);
    }

    /** The values of a per-model λ (a list, an array, or text with commas), each checked by the spec; null for one value. */
    static List<Double> parse(MergeMethod method, ParamSpec lambda, Object value) {
        List<Object> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            items.addAll(list);
        } else if (value instanceof double[] array) {
            for (double d : array) {
                items.add(d);
            }
        } else if (value instanceof String s && s.contains(",")) {
            for (String part : s.split(",", -1)) {
                if (part.isBlank()) {
                    throw new BadParameter(method.name(), lambda, value, "needs one number per fine-tuned model, comma-separated (an empty one here)");
                }
                items.add(part.strip());
            }
        } else {
            return null;
        }
        if (items.isEmpty()) {
            throw new BadParameter(method.name(), lambda, value, "needs one number per fine-tuned model (the list is empty)");
        }
        if (!method.needsBase()) {
            throw new BadParameter(method.name(), lambda, value, "takes one value: one λ per model weights task vectors, and "
                    + method.name() + " merges without a base");
        }
        List<Double> out = new ArrayList<>();
        for (Object item : items) {
            out.add(((Number) lambda.parse(method.name(), item)).doubleValue());
        }
        return out;
    }

    @Override
    public MergeMethod spec() {
        return inner.spec();
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(inner.parameters());
        p.put("lambda", lambdas);
        return p;
    }

    @Override
    public Weights merge(MergeInputs in) {
        if (lambdas.size() != in.count()) {
            throw new BadParameter(method(), spec().param("lambda"), ParamSpec.text(lambdas),
                    "has " + lambdas.size() + " values for " + in.count() + " fine-tuned models (one per model, in order)");
        }
        Weights pre = in.requireBase(method());
        List<Weights> scaled = new ArrayList<>();
        for (int t = 0; t < in.count(); t++) {
            Weights ft = in.finetuned().get(t);
            float lambda = lambdas.get(t).floatValue();
            scaled.add(in.build(in.tasks().get(t), Map.of(), (name, m) -> {
                NDArray base = pre.compute(name, m);
                return ft.compute(name, m).subi(base).muli(lambda).addi(base);
            }));
        }
        Weights merged = inner.merge(new MergeInputs(pre, scaled, in.tasks()));
        Map<String, String> meta = new LinkedHashMap<>(merged.metadata());
        meta.putAll(metadata());
        return new Weights(merged.entries(), meta, merged.label());
    }
}
