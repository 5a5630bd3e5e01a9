package org.taulab.dsl.learn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.taulab.dsl.tensor.StateDict;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.TensorEntry;

/** DV-BASI's random-perturbation ablation: {@code ‖δ‖ · R} with R a seeded unit Gaussian direction of δ's layout. */
final class RandomDirection {
    private RandomDirection() {
    }

    static TaskVector like(StateDict delta, long seed) {
        Random rnd = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        double squares = 0;
        for (String name : delta.floatKeys()) {
            float[] v = new float[(int) delta.entry(name).elements()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian();
                squares += v[i] * (double) v[i];
            }
            values.put(name, v);
        }
        float scale = (float) (delta.norm() / Math.sqrt(squares));
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        values.forEach((name, v) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
            long[] shape = delta.entry(name).shape();
            entries.put(name, TensorEntry.floating(name, org.taulab.dsl.io.DType.F32, shape, (NDManager m) -> m.create(v.clone(), new Shape(shape))));
        });
        return new TaskVector(entries, Map.of(), "random(" + delta.label() + ")");
    }
}
