package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Remembers the few most recently computed tensors of a derived model. Merges stream tensor by tensor
 * (a couple in flight at once) and read the same derived tensor several times in a row (CART's θ_avg once
 * per centered vector and once more for the result), so remembering them turns T + 1 computations into
 * one, at the memory cost of a few tensors.
 */
final class LastTensorMemo {
    private static final int KEEP = 4;
    private final Map<String, float[]> values = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > KEEP;
        }
    };
    private final Map<String, Shape> shapes = new LinkedHashMap<>();

    NDArray compute(String tensor, NDManager m, Function<NDManager, NDArray> source) {
        synchronized (this) {
            float[] v = values.get(tensor);
            if (v != null) {
                return m.create(v, shapes.get(tensor));
            }
        }
        NDArray fresh = source.apply(m);
        synchronized (this) {
            values.put(tensor, fresh.toFloatArray());
            shapes.put(tensor, fresh.getShape());
        }
        return fresh;
    }
}
