package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import org.taulab.dsl.TauLabException;

/** Refuses NaN and infinite values in a merge's input tensors, naming the tensor and the model. */
final class FiniteCheck {
    private FiniteCheck() {
    }

    static NDArray require(NDArray x, String tensor, String model) {
        // One reduction answers the common case; only a non-finite sum needs the exact element test.
        float sum = x.sum().getFloat();
        if (Float.isFinite(sum)) {
            return x;
        }
        if (x.isNaN().any().getBoolean()) {
            throw new TauLabException("tensor '" + tensor + "' in " + model + " contains NaN");
        }
        if (x.isInfinite().any().getBoolean()) {
            throw new TauLabException("tensor '" + tensor + "' in " + model + " contains Inf");
        }
        return x;
    }
}
