package org.taulab.dsl.io;

import static org.taulab.dsl.io.HandMadeSafetensors.builder;
import static org.taulab.dsl.io.HandMadeSafetensors.concat;
import static org.taulab.dsl.io.HandMadeSafetensors.entry;
import static org.taulab.dsl.io.HandMadeSafetensors.f32;
import static org.taulab.dsl.io.HandMadeSafetensors.f64;
import static org.taulab.dsl.io.HandMadeSafetensors.file;
import static org.taulab.dsl.io.HandMadeSafetensors.i32;
import static org.taulab.dsl.io.HandMadeSafetensors.i64;
import static org.taulab.dsl.io.HandMadeSafetensors.prefix;
import static org.taulab.dsl.io.HandMadeSafetensors.truncate;
import static org.taulab.dsl.io.HandMadeSafetensors.u16;
import static org.taulab.dsl.io.HandMadeSafetensors.u8;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-made safetensors files shared by the explicit tests and the fuzz seed corpus
 * ({@link SeedCorpusGenerator}): well-formed ones with every dtype, and one malformed file per problem
 * the reader must report.
 */
public final class SafetensorsSamples {
    private SafetensorsSamples() {
    }

    private static final long[] TWO = {2};

    // ---- well-formed ----

    /** Every dtype, with metadata, header padded to 8 bytes as writers do. */
    public static HandMadeSafetensors.Builder allDTypes() {
        return builder()
                .metadata("format", "pt")
                .metadata("note", "hand made")
                .tensor("f32", "F32", new long[] {2, 2}, f32(1.0f, -2.5f, 0.1f, Float.MIN_VALUE))
                .tensor("f16", "F16", new long[] {7}, u16(0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x8000, 0x7C00))
                .tensor("bf16", "BF16", new long[] {2, 3}, u16(0x3F80, 0xC040, 0x4049, 0x0000, 0xFF80, 0x4120))
                .tensor("f64", "F64", new long[] {4}, f64(1.0, -0.5, 0.25, 3.0))
                .tensor("i64", "I64", new long[] {3}, i64(Long.MIN_VALUE, -1, 42))
                .tensor("i32", "I32", new long[] {2, 2}, i32(Integer.MAX_VALUE, -7, 0, 123456))
                .tensor("i16", "I16", new long[] {2}, u16(0x8000, 0x7FFF))
                .tensor("i8", "I8", new long[] {3}, u8(-128, 0, 127))
                .tensor("u8", "U8", new long[] {5}, u8(0, 1, 127, 128, 255))
                .tensor("bool", "BOOL", new long[] {4}, u8(1, 0, 0, 1))
                .padTo(8);
    }

    public static Map<String, byte[]> valid() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("valid-all-dtypes", allDTypes().build());
        m.put("valid-empty-header", file("{}", new byte[0]));
        m.put("valid-padded-empty", file("{}      ", new byte[0]));
        m.put("valid-metadata-only", file("{\"__metadata__\":{\"format\":\"pt\"}}", new byte[0]));
        m.put("valid-scalar-f32", builder().tensor("s", "F32", new long[0], f32(3.5f)).build());
        m.put("valid-zero-elements", builder()
                .tensor("empty", "F32", new long[] {0, 3}, new byte[0])
                .tensor("ids", "I64", new long[] {0}, new byte[0])
                .tensor("w", "BF16", TWO, u16(0x3F80, 0xC040)).build());
        m.put("valid-f16-matrix", builder().tensor("m", "F16", new long[] {2, 2}, u16(0x3C00, 0x4000, 0x4200, 0x4400)).build());
        m.put("valid-unordered-offsets", file("{\"b\":" + entry("F32", TWO, 8, 16) + ",\"a\":" + entry("I32", TWO, 0, 8) + "}",
                concat(i32(1, 2), f32(3, 4))));
        return m;
    }

    // ---- malformed: one per problem; the tests name the phrase each must be reported with ----

    private static byte[] oneF32(String header, byte[] data) {
        return file(header, data);
    }

    public static byte[] shorterThanEightBytes() {
        return new byte[] {16, 0, 0, 0, 0};
    }

    public static byte[] emptyFile() {
        return new byte[0];
    }

    public static byte[] headerLengthLargerThanFile() {
        return file(1000, "{\"w\":" + entry("F32", TWO, 0, 8) + "}", f32(1, 2));
    }

    /** A prefix of 200 000 000 in a 60-byte file: refused before any buffer is allocated. */
    public static byte[] headerLengthOver100MB() {
        return file(200_000_000L, "{\"w\":" + entry("F32", TWO, 0, 8) + "}", f32(1, 2));
    }

    /** Prefix 0xFFFF_FFFF_FFFF_FFFF, negative as a signed long. */
    public static byte[] headerLengthNegative() {
        return file(-1L, "{}", new byte[0]);
    }

    public static byte[] headerLengthZero() {
        return prefix(0);
    }

    public static byte[] headerNotJson() {
        return oneF32("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", f32(1, 2));
    }

    public static byte[] headerGarbageAfterJson() {
        return oneF32("{\"w\":" + entry("F32", TWO, 0, 8) + "}{\"x\":1}", f32(1, 2));
    }

    /** A tensor name holding the byte 0xFF, which is never valid UTF-8. */
    public static byte[] headerNotUtf8() {
        byte[] json = ("{\"w?\":" + entry("F32", TWO, 0, 8) + "}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        json[3] = (byte) 0xFF;
        return concat(prefix(json.length), json, f32(1, 2));
    }

    /** 5000 nested arrays inside an entry: must be refused, not overflow the stack. */
    public static byte[] headerDeeplyNested() {
        return oneF32("{\"w\":" + "[".repeat(5000) + "]".repeat(5000) + "}", new byte[0]);
    }

    /** A 2000-digit shape entry. */
    public static byte[] headerHugeNumber() {
        return oneF32("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + "9".repeat(2000) + "],\"data_offsets\":[0,0]}}", new byte[0]);
    }

    public static byte[] duplicateMetadataKey() {
        return oneF32("{\"__metadata__\":{\"format\":\"pt\",\"format\":\"np\"}}", new byte[0]);
    }

    public static byte[] headerNotObject() {
        return file("[1, 2, 3]", new byte[0]);
    }

    public static byte[] unknownDTypeF8() {
        return oneF32("{\"w\":" + entry("F8_E4M3", TWO, 0, 2) + "}", u8(1, 2));
    }

    public static byte[] unknownDTypeQ4() {
        return oneF32("{\"w\":" + entry("Q4", TWO, 0, 1) + "}", u8(0x21));
    }

    public static byte[] missingDType() {
        return oneF32("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2));
    }

    public static byte[] missingShape() {
        return oneF32("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", f32(1, 2));
    }

    public static byte[] negativeShape() {
        return oneF32("{\"w\":" + entry("F32", new long[] {-1, 2}, 0, 8) + "}", f32(1, 2));
    }

    /** Shape [2, 2] of F32 is 16 bytes; the offsets give 12. */
    public static byte[] shapeSizeMismatch() {
        return oneF32("{\"w\":" + entry("F32", new long[] {2, 2}, 0, 12) + "}", f32(1, 2, 3));
    }

    public static byte[] shapeOverflow() {
        return oneF32("{\"w\":" + entry("F32", new long[] {1L << 40, 1L << 40}, 0, 8) + "}", f32(1, 2));
    }

    /** Zero elements, so zero bytes, but no tensor library can hold [0, 2^62, 4] (its strides overflow). */
    public static byte[] zeroAndHugeDimensions() {
        return oneF32("{\"w\":" + entry("F32", new long[] {0, 1L << 62, 4}, 0, 0) + "}", new byte[0]);
    }

    public static byte[] offsetsOutOfRange() {
        return oneF32("{\"w\":" + entry("F32", TWO, 0, 8) + "}", f32(1));
    }

    public static byte[] offsetsReversed() {
        return oneF32("{\"w\":" + entry("F32", TWO, 8, 0) + "}", f32(1, 2));
    }

    public static byte[] offsetsNotTwoIntegers() {
        return oneF32("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", f32(1, 2));
    }

    public static byte[] overlappingOffsets() {
        return oneF32("{\"a\":" + entry("F32", TWO, 0, 8) + ",\"b\":" + entry("F32", TWO, 4, 12) + "}", f32(1, 2, 3));
    }

    /** The header JSON literally holds the key "w" twice. */
    public static byte[] duplicateTensorName() {
        return oneF32("{\"w\":" + entry("F32", TWO, 0, 8) + ",\"w\":" + entry("F32", TWO, 8, 16) + "}", f32(1, 2, 3, 4));
    }

    public static byte[] duplicateKeyInEntry() {
        return oneF32("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2));
    }

    public static byte[] trailingGarbage() {
        return concat(builder().tensor("w", "F32", TWO, f32(1, 2)).build(), u8(0xDE, 0xAD, 0xBE));
    }

    public static byte[] holeBetweenTensors() {
        return oneF32("{\"a\":" + entry("F32", new long[] {1}, 0, 4) + ",\"b\":" + entry("F32", new long[] {1}, 8, 12) + "}",
                f32(1, 2, 3));
    }

    public static byte[] entryNotObject() {
        return oneF32("{\"w\":5}", new byte[0]);
    }

    public static byte[] metadataNotString() {
        return oneF32("{\"__metadata__\":{\"epochs\":3}}", new byte[0]);
    }

    /** A tensor name with a newline: the error about it must still be one line. */
    public static byte[] newlineInTensorName() {
        return oneF32("{\"bad\\nname\":" + entry("F32", TWO, 0, 8) + "}", f32(1));
    }

    public static Map<String, byte[]> malformed() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("short-5-bytes", shorterThanEightBytes());
        m.put("empty", emptyFile());
        m.put("header-length-beyond-file", headerLengthLargerThanFile());
        m.put("header-length-200MB", headerLengthOver100MB());
        m.put("header-length-negative", headerLengthNegative());
        m.put("header-length-zero", headerLengthZero());
        m.put("header-not-json", headerNotJson());
        m.put("header-garbage-after-json", headerGarbageAfterJson());
        m.put("header-not-object", headerNotObject());
        m.put("header-not-utf8", headerNotUtf8());
        m.put("header-deeply-nested", headerDeeplyNested());
        m.put("header-huge-number", headerHugeNumber());
        m.put("duplicate-metadata-key", duplicateMetadataKey());
        m.put("dtype-f8", unknownDTypeF8());
        m.put("dtype-q4", unknownDTypeQ4());
        m.put("dtype-missing", missingDType());
        m.put("shape-missing", missingShape());
        m.put("shape-negative", negativeShape());
        m.put("shape-size-mismatch", shapeSizeMismatch());
        m.put("shape-overflow", shapeOverflow());
        m.put("shape-zero-and-huge", zeroAndHugeDimensions());
        m.put("offsets-out-of-range", offsetsOutOfRange());
        m.put("offsets-reversed", offsetsReversed());
        m.put("offsets-not-two-integers", offsetsNotTwoIntegers());
        m.put("offsets-overlap", overlappingOffsets());
        m.put("duplicate-tensor-name", duplicateTensorName());
        m.put("duplicate-key-in-entry", duplicateKeyInEntry());
        m.put("trailing-garbage", trailingGarbage());
        m.put("hole-between-tensors", holeBetweenTensors());
        m.put("entry-not-object", entryNotObject());
        m.put("metadata-not-string", metadataNotString());
        m.put("newline-in-name", newlineInTensorName());
        byte[] full = allDTypes().build();
        int headerEnd = 8 + allDTypes().headerJson().length();
        m.put("truncated-in-prefix", truncate(full, 6));
        m.put("truncated-in-header", truncate(full, headerEnd / 2));
        m.put("truncated-in-data", truncate(full, full.length - 3));
        return m;
    }
}
