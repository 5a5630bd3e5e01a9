package org.taulab.dsl.model;

import ai.djl.ndarray.NDArray;

/**
 * A task's frozen classification head on L2-normalized image embeddings, the analog of CLIP's zero-shot
 * head: {@code logits = normalize(f) Wᵀ + b}.
 */
public final class ClassifierHead {
    private ClassifierHead() {
    }

    public static NDArray logits(NDArray features, NDArray weight, NDArray bias) {
        NDArray norm = features.square().sum(new int[] {-1}, true).add(1e-12).sqrt();
        NDArray out = features.div(norm).matMul(weight.transpose());
        return bias == null ? out : out.add(bias);
    }
}
