package org.taulab.dsl.merge;

import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.Weights;

/** Weight averaging: {@code θ = (1/T) Σ θ_t}. No parameters. */
public record AverageMerge() implements Merge {
    @Override
    public String method() {
        return "average";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public Merge with(String parameter, Object value) {
        throw Params.unknown(method(), parameter, List.of());
    }

    @Override
    public Weights merge(MergeInputs inputs) {
        Weights avg = inputs.average();
        return new Weights(avg.entries(), metadata(), "average");
    }
}
