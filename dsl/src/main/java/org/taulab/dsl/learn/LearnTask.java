package org.taulab.dsl.learn;

import ai.djl.ndarray.NDArray;
import org.taulab.dsl.data.ImageSet;

/**
 * One task as coefficient learning sees it: the images a step draws batches from ({@code train}: val by
 * default, labels used only by the supervised loss), the images accuracy is measured on after every epoch
 * ({@code eval}), the frozen head, and the sign of its loss in the objective (−1 for a negated task).
 */
public record LearnTask(String name, ImageSet train, ImageSet eval, NDArray headWeight, NDArray headBias, double sign, boolean unsupervised) {
    public LearnTask negated() {
        return new LearnTask(name, train, eval, headWeight, headBias, -sign, unsupervised);
    }

    public LearnTask withLoss(boolean unsupervisedLoss) {
        return new LearnTask(name, train, eval, headWeight, headBias, sign, unsupervisedLoss);
    }
}
