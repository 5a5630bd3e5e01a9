package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import org.taulab.dsl.TauLabException;

/** Refuses NaN and infinite values in a merge's inputs or an encoder about to be evaluated, naming the tensor and the model. */
public final class FiniteCheck {
    private FiniteCheck() {
    }

    /** Refuses a model with a NaN or Inf in any float tensor, naming the first such tensor and the model. */
    public static void require(org.taulab.dsl.tensor.Weights w) {
        for (org.taulab.dsl.tensor.TensorEntry e : w.entries().values()) {
            if (e.isFloat()) {
                try (ai.djl.ndarray.NDManager m = org.taulab.dsl.tensor.Tensors.scope()) {
                    require(w.compute(e.name(), m), e.name(), w.label());
                }
            }
        }
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
