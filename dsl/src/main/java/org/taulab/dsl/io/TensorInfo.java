package org.taulab.dsl.io;

/** One tensor's header entry: dtype, shape and its byte range inside the data section. */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    public String shapeString() {
        return ShapeText.of(shape);
    }
}
