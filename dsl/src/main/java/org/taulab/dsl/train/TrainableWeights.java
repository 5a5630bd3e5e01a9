package org.taulab.dsl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/** A state dict held as DJL arrays that record gradients, for training; converts back to {@link Weights}. */
public final class TrainableWeights implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    public TrainableWeights(NDManager parent, Map<String, float[]> values, Map<String, long[]> shapeOf) {
        manager = parent.newSubManager();
        values.forEach((k, v) -> {
            NDArray a = manager.create(v, new Shape(shapeOf.get(k)));
            a.setRequiresGradient(true);
            params.put(k, a);
            shapes.put(k, shapeOf.get(k));
        });
    }

    public static TrainableWeights from(NDManager parent, Weights w) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapeOf = new LinkedHashMap<>();
        for (String k : w.floatKeys()) {
            try (NDManager m = parent.newSubManager()) {
                values.put(k, w.compute(k, m).toFloatArray());
            }
            shapeOf.put(k, w.entry(k).shape());
        }
        return new TrainableWeights(parent, values, shapeOf);
    }

    public NDArray get(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new org.taulab.dsl.TauLabException("no parameter '" + name + "'");
        }
        return a;
    }

    public List<NDArray> list() {
        return new ArrayList<>(params.values());
    }

    /** A snapshot as immutable weights (values copied out). */
    public Weights snapshot(String label, Map<String, String> metadata) {
        return snapshot(label, metadata, k -> true);
    }

    /** A snapshot of the parameters whose names {@code keep} accepts. */
    public Weights snapshot(String label, Map<String, String> metadata, java.util.function.Predicate<String> keep) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        params.forEach((k, a) -> {
            if (!keep.test(k)) {
                return;
            }
            float[] v = a.toFloatArray();
            long[] s = shapes.get(k);
            entries.put(k, TensorEntry.floating(k, DType.F32, s, m -> m.create(v.clone(), new Shape(s))));
        });
        return new Weights(entries, metadata, label);
    }

    @Override
    public void close() {
        manager.close();
    }
}
