package org.taulab.dsl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Parameter lookup for one step of work: each array is temporarily attached to the step's manager, so
 * the temporaries DJL creates from it (reshapes, transposes) are freed with the step instead of piling up
 * in the long-lived manager that owns the parameters. The arrays return to their owner when it closes.
 */
public final class ScopedParams {
    private ScopedParams() {
    }

    public static Function<String, NDArray> in(NDManager step, Function<String, NDArray> source) {
        Map<NDArray, Boolean> attached = new IdentityHashMap<>();
        return name -> {
            NDArray a = source.apply(name);
            if (a.getManager() != step && attached.put(a, Boolean.TRUE) == null) {
                a.tempAttach(step);
            }
            return a;
        };
    }
}
