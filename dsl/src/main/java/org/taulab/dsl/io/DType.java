package org.taulab.dsl.io;

import ai.djl.ndarray.types.DataType;
import org.taulab.dsl.TauLabException;

/** The safetensors element types TauLab reads and writes. Float types are merged; the rest pass through. */
public enum DType {
    F64(8, DataType.FLOAT64, true),
    F32(4, DataType.FLOAT32, true),
    F16(2, DataType.FLOAT16, true),
    BF16(2, DataType.BFLOAT16, true),
    I64(8, DataType.INT64, false),
    I32(4, DataType.INT32, false),
    I16(2, DataType.INT16, false),
    I8(1, DataType.INT8, false),
    U8(1, DataType.UINT8, false),
    BOOL(1, DataType.BOOLEAN, false);

    private final int bytes;
    private final DataType djl;
    private final boolean floating;

    DType(int bytes, DataType djl, boolean floating) {
        this.bytes = bytes;
        this.djl = djl;
        this.floating = floating;
    }

    public int bytes() {
        return bytes;
    }

    public DataType djl() {
        return djl;
    }

    /** Float tensors take part in arithmetic (as float32); the others are copied untouched. */
    public boolean isFloat() {
        return floating;
    }

    /** Parses a safetensors dtype string; {@code where} names the file and tensor for the error. */
    public static DType parse(String name, String where) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new TauLabException(where + ": unknown dtype '" + name + "' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
    }
}
