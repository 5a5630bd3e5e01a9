package org.taulab.dsl.io;

import org.taulab.dsl.tensor.SafetensorsWriter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds safetensors files byte by byte, independently of {@link SafetensorsWriter}: the 8-byte
 * little-endian header length, the header JSON written as text (so it can say anything, a key twice
 * included), then the data bytes. Depends on the JDK only, so the seed generator can use it too.
 */
public final class HandMadeSafetensors {
    private HandMadeSafetensors() {
    }

    // ---- little-endian element bytes ----

    public static byte[] f32(float... values) {
        ByteBuffer b = le(values.length * 4);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    public static byte[] f64(double... values) {
        ByteBuffer b = le(values.length * 8);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** 16-bit patterns (F16, BF16, I16), each written little-endian. */
    public static byte[] u16(int... bits) {
        ByteBuffer b = le(bits.length * 2);
        for (int v : bits) {
            b.putShort((short) v);
        }
        return b.array();
    }

    public static byte[] i64(long... values) {
        ByteBuffer b = le(values.length * 8);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    public static byte[] i32(int... values) {
        ByteBuffer b = le(values.length * 4);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    /** One byte each (U8, I8, BOOL). */
    public static byte[] u8(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The 8-byte little-endian header length. */
    public static byte[] prefix(long headerLength) {
        return le(8).putLong(headerLength).array();
    }

    /** A whole file: length prefix (the JSON's own length), header JSON, data. */
    public static byte[] file(String headerJson, byte[] data) {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        return concat(prefix(json.length), json, data);
    }

    /** A whole file whose length prefix says {@code headerLength}, whatever follows. */
    public static byte[] file(long headerLength, String headerJson, byte[] data) {
        return concat(prefix(headerLength), headerJson.getBytes(StandardCharsets.UTF_8), data);
    }

    public static byte[] truncate(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }

    /** A header entry as JSON text. */
    public static String entry(String dtype, long[] shape, long begin, long end) {
        return "{\"dtype\":" + quote(dtype) + ",\"shape\":" + shapeJson(shape)
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    public static String shapeJson(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A well-formed file: tensors laid out contiguously in the order added. */
    public static Builder builder() {
        return new Builder();
    }

    /** One tensor as it was put into a hand-made file. */
    public record Tensor(String name, String dtype, long[] shape, byte[] data) {
    }

    public static final class Builder {
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final List<Tensor> tensors = new ArrayList<>();
        private int padTo = 1;

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public Builder tensor(String name, String dtype, long[] shape, byte[] data) {
            tensors.add(new Tensor(name, dtype, shape, data));
            return this;
        }

        /** Pads the header JSON with spaces to a multiple of {@code n} bytes (writers pad to 8). */
        public Builder padTo(int n) {
            padTo = n;
            return this;
        }

        public List<Tensor> tensors() {
            return tensors;
        }

        public String headerJson() {
            List<String> fields = new ArrayList<>();
            if (!metadata.isEmpty()) {
                fields.add("\"__metadata__\":" + metadata.entrySet().stream()
                        .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                        .collect(Collectors.joining(",", "{", "}")));
            }
            long offset = 0;
            for (Tensor t : tensors) {
                fields.add(quote(t.name()) + ":" + entry(t.dtype(), t.shape(), offset, offset + t.data().length));
                offset += t.data().length;
            }
            String json = String.join(",", fields);
            json = "{" + json + "}";
            int length = json.getBytes(StandardCharsets.UTF_8).length;
            int padded = (length + padTo - 1) / padTo * padTo;
            return json + " ".repeat(padded - length);
        }

        public byte[] data() {
            return concat(tensors.stream().map(Tensor::data).toArray(byte[][]::new));
        }

        public byte[] build() {
            return file(headerJson(), data());
        }
    }
}
