package org.taulab.dsl.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * How one float tensor of a state dict is produced: read from a file, or computed from other
 * tensors. Sources are lazy and stateless, so a whole merge can stream through a model one tensor at a
 * time. Identity matters: decomposition caches are keyed on the source object.
 */
@FunctionalInterface
public interface TensorSource {
    /**
     * Computes the tensor as float32. The array returned is fresh and owned by {@code manager}: the
     * caller may change it in place, and closing the manager frees it with every temporary.
     */
    NDArray compute(NDManager manager);
}
