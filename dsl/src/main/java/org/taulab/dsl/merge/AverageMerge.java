package org.taulab.dsl.merge;

import java.util.Map;
import org.taulab.dsl.tensor.Weights;

/** Weight averaging: {@code θ = (1/T) Σ θ_t}. No parameters. */
public record AverageMerge() implements Merge {
    public static final MergeMethod METHOD = MergeMethod.named("average").alias("averageMerge").order(10)
            .summary("(1/T) Σ θ_t, the element-wise mean of the models (no base needed)")
            .source("Wortsman et al. 2022, Model soups")
            .build(v -> new AverageMerge());

    @Override
    public MergeMethod spec() {
        return METHOD;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public Weights merge(MergeInputs inputs) {
        Weights avg = inputs.average();
        return LinearMergeFiles.withFastPath(new Weights(avg.entries(), metadata(), "average"), inputs, null);
    }
}
