package org.taulab.dsl.tensor;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.taulab.dsl.io.DType;

/** Small in-memory state dicts for tests, built from literal values. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A tensor spec: shape and row-major values. */
    public record T(long[] shape, float[] values) {
    }

    public static T t(long[] shape, float... values) {
        return new T(shape, values);
    }

    public static T vec(float... values) {
        return new T(new long[] {values.length}, values);
    }

    public static T mat(int rows, int cols, float... values) {
        return new T(new long[] {rows, cols}, values);
    }

    public static T random(Random rnd, double scale, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return new T(shape, v);
    }

    /** Weights from name → tensor pairs given in order: {@code weights("a", "x", t1, "y", t2)}. */
    public static Weights weights(String label, Object... nameTensorPairs) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (int i = 0; i < nameTensorPairs.length; i += 2) {
            String name = (String) nameTensorPairs[i];
            T t = (T) nameTensorPairs[i + 1];
            entries.put(name, TensorEntry.floating(name, DType.F32, t.shape(),
                    m -> m.create(t.values().clone(), new Shape(t.shape()))));
        }
        return new Weights(entries, Map.of(), label);
    }

    public static float[] values(StateDict dict, String name) {
        try (NDManager m = Tensors.scope()) {
            return dict.compute(name, m).toFloatArray();
        }
    }
}
