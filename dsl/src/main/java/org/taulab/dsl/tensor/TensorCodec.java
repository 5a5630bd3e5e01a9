package org.taulab.dsl.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.taulab.dsl.io.DType;

/**
 * Converts between safetensors bytes and float32 DJL arrays. DJL's PyTorch engine aliases a direct
 * buffer instead of copying it, so every array made here is copied into memory the array owns.
 */
public final class TensorCodec {
    private TensorCodec() {
    }

    /** A float32 array owned by {@code manager}, decoded from little-endian bytes of a float dtype. */
    public static NDArray decodeFloat(NDManager manager, ByteBuffer bytes, DType dtype, long[] shape) {
        if (dtype == DType.F32) {
            ByteBuffer storage = BufferPool.acquire(bytes.remaining());
            storage.put(bytes.duplicate()).flip();
            return asStorage(manager, storage, shape);
        }
        if (dtype == DType.BF16) {
            // widened straight into the tensor's own pooled storage: no second copy, nothing left to the collector
            ByteBuffer storage = BufferPool.acquire(bytes.remaining() * 2);
            bf16ToF32(bytes, storage);
            return asStorage(manager, storage, shape);
        }
        Shape s = new Shape(shape);
        ByteBuffer source = bytes;
        DataType sourceType = dtype.djl();
        if (!source.isDirect()) {
            ByteBuffer direct = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            direct.put(source.duplicate()).flip();
            source = direct;
        }
        try (NDManager scratch = manager.newSubManager()) {
            // DJL's PyTorch engine aliases a direct buffer; duplicate() and conversions copy out of it.
            NDArray alias = scratch.create(source.duplicate().order(ByteOrder.LITTLE_ENDIAN), s, sourceType);
            NDArray owned = sourceType == DataType.FLOAT32 ? alias.duplicate() : alias.toType(DataType.FLOAT32, false);
            owned.attach(manager);
            return owned;
        }
    }

    /**
     * A float32 array whose storage is {@code storage} itself (a pooled buffer, filled by the caller), which
     * returns to the pool when {@code manager} closes. Such an array must stay in {@code manager}: moving it
     * to another manager would outlive its storage (copy it with {@code duplicate()} instead).
     */
    public static NDArray asStorage(NDManager manager, ByteBuffer storage, long[] shape) {
        manager.attachInternal(BufferPool.nextId(), () -> BufferPool.release(storage));
        return manager.create(storage, new Shape(shape), DataType.FLOAT32);
    }

    /** A pooled buffer of {@code size} bytes for {@link #asStorage}. */
    public static ByteBuffer pooledBuffer(int size) {
        return BufferPool.acquire(size);
    }

    /** Little-endian bytes of a float32 array written as {@code dtype} (F32, F16, BF16 or F64). */
    public static ByteBuffer encodeFloat(NDArray array, DType dtype) {
        if (dtype == DType.BF16) {
            return f32ToBf16(array.toType(DataType.FLOAT32, false).toFloatArray());
        }
        if (array.getDataType() == dtype.djl()) {
            return array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        try (NDArray converted = array.toType(dtype.djl(), true)) {
            return converted.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Widens bfloat16 bytes into {@code out} (positioned at 0, limit the float32 size). */
    static void bf16ToF32(ByteBuffer bytes, ByteBuffer out) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = in.remaining() / 2;
        FloatBuffer f = out.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int base = in.position();
        for (int i = 0; i < n; i++) {
            f.put(i, Float.intBitsToFloat((in.getShort(base + 2 * i) & 0xffff) << 16));
        }
    }

    /** Round to nearest even, NaN kept NaN (the conversion PyTorch uses). */
    static ByteBuffer f32ToBf16(float[] values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            out.putShort(i * 2, bf16Bits(values[i]));
        }
        return out;
    }

    static short bf16Bits(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
