package org.taulab.dsl.tensor;

import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.ShapeText;

/**
 * One named tensor of a state dict: its stored dtype and shape, and either a lazy float source (float
 * dtypes, computed as float32) or its raw bytes (integer and bool tensors, which are never merged). A float
 * tensor may carry raw bytes too: its float32 values computed by a faster path than the engine, which the
 * safetensors writer uses when it writes the tensor as float32.
 */
public record TensorEntry(String name, DType dtype, long[] shape, TensorSource source, Supplier<ByteBuffer> raw) {

    public static TensorEntry floating(String name, DType dtype, long[] shape, TensorSource source) {
        return new TensorEntry(name, dtype, shape, source, null);
    }

    public static TensorEntry passThrough(String name, DType dtype, long[] shape, Supplier<ByteBuffer> raw) {
        return new TensorEntry(name, dtype, shape, null, raw);
    }

    public boolean isFloat() {
        return source != null;
    }

    public boolean isMatrix() {
        return isFloat() && shape.length == 2;
    }

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public boolean sameShape(TensorEntry other) {
        return java.util.Arrays.equals(shape, other.shape);
    }

    public String shapeString() {
        return ShapeText.of(shape);
    }

    /** The same tensor computed another way (keeps name, stored dtype and shape). */
    public TensorEntry withSource(TensorSource newSource) {
        return floating(name, dtype, shape, newSource);
    }
}
