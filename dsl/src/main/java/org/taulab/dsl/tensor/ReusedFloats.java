package org.taulab.dsl.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float arrays that a thread reuses for values it only reads before its next use of an array of the same length:
 * a matrix handed to a decomposition, which copies what it keeps. A fresh ten-megabyte array per matrix and
 * task cost a CART merge a quarter of its allocations, with the zeroing, page faults and collections they bring.
 * A thread keeps at most {@link #KEPT_LENGTHS} lengths and {@link #KEPT_FLOATS} floats (the least recently used
 * go first).
 */
public final class ReusedFloats {
    static final int KEPT_LENGTHS = 6;
    static final long KEPT_FLOATS = 1L << 25;

    private static final ThreadLocal<Map<Integer, float[]>> KEPT = ThreadLocal.withInitial(() -> new LinkedHashMap<>(8, 0.75f, true));

    private ReusedFloats() {
    }

    /** This thread's array of exactly {@code length} floats; its contents are whatever its last user left. */
    public static float[] of(int length) {
        Map<Integer, float[]> kept = KEPT.get();
        float[] a = kept.get(length);
        if (a == null) {
            a = new float[length];
            kept.put(length, a);
            long total = 0;
            for (float[] k : kept.values()) {
                total += k.length;
            }
            for (Iterator<float[]> it = kept.values().iterator(); it.hasNext() && (kept.size() > KEPT_LENGTHS || total > KEPT_FLOATS); ) {
                float[] oldest = it.next();
                if (oldest != a) {
                    total -= oldest.length;
                    it.remove();
                }
            }
        }
        return a;
    }

    /** A float32 tensor's values in this thread's reused array of its size (valid until the thread's next use). */
    public static float[] valuesOf(NDArray x) {
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("a " + x.getDataType() + " tensor where float32 values were expected");
        }
        float[] a = of(Math.toIntExact(x.size()));
        x.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().get(a);
        return a;
    }
}
