package org.taulab.dsl.train;

import ai.djl.ndarray.NDArray;

/** The losses of the learned merges (docs/algorithms.md): mean cross-entropy (supervised) and mean prediction entropy (unsupervised). */
public final class Losses {
    private Losses() {
    }

    /** {@code mean(−log softmax(logits)[label])}; labels are an int/long array of shape [N]. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(-1);
        NDArray picked = logp.mul(labels.oneHot((int) logits.getShape().get(1)).toType(logp.getDataType(), false)).sum(new int[] {1});
        return picked.mean().neg();
    }

    /** Mean Shannon entropy of softmax(logits). */
    public static NDArray entropy(NDArray logits) {
        NDArray logp = logits.logSoftmax(-1);
        return logp.exp().mul(logp).sum(new int[] {1}).mean().neg();
    }
}
