package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.io.HandMadeSafetensors.f32;
import static org.taulab.dsl.io.HandMadeSafetensors.f64;
import static org.taulab.dsl.io.HandMadeSafetensors.i32;
import static org.taulab.dsl.io.HandMadeSafetensors.u16;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * Hand-made files with every dtype, loaded with {@link Weights#load} and saved back; the output is read
 * with {@link HandParsedSafetensors}, not with the reader under test. Expected values are written from the
 * bit patterns (F16 0x3C00 = 1.0, BF16 0xC040 = −3.0, ...), never computed by the code under test.
 */
class SafetensorsRoundTripTest {
    private static final List<String> FLOATS = List.of("f32", "f16", "bf16", "f64");
    private static final List<String> PASS_THROUGH = List.of("i64", "i32", "i16", "i8", "u8", "bool");

    @TempDir
    Path dir;

    private HandMadeSafetensors.Builder input;
    private Path in;

    @BeforeEach
    void writeInput() throws IOException {
        input = SafetensorsSamples.allDTypes();
        in = dir.resolve("in.safetensors");
        Files.write(in, input.build());
    }

    private byte[] inputBytes(String name) {
        return input.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().data();
    }

    private String inputDType(String name) {
        return input.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().dtype();
    }

    private static float[] expected(String name) {
        return switch (name) {
            case "f32" -> new float[] {1.0f, -2.5f, 0.1f, Float.MIN_VALUE};
            // 0x3C00 0xC000 0x3800 0x7BFF (max) 0x0001 (smallest subnormal, 2^-24) 0x8000 (-0) 0x7C00 (+inf)
            case "f16" -> new float[] {1.0f, -2.0f, 0.5f, 65504.0f, 5.9604645e-8f, -0.0f, Float.POSITIVE_INFINITY};
            // 0x3F80 0xC040 0x4049 0x0000 0xFF80 (-inf) 0x4120
            case "bf16" -> new float[] {1.0f, -3.0f, 3.140625f, 0.0f, Float.NEGATIVE_INFINITY, 10.0f};
            case "f64" -> new float[] {1.0f, -0.5f, 0.25f, 3.0f};
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void everyFloatDTypeLoadsToExactFloat32Values() {
        try (Weights w = Weights.load(in)) {
            assertEquals(List.of("f32", "f16", "bf16", "f64", "i64", "i32", "i16", "i8", "u8", "bool"), w.keys());
            assertEquals(FLOATS, w.floatKeys());
            for (String k : FLOATS) {
                assertArrayEquals(expected(k), w.get(k).toFloatArray(), k);
                assertEquals(DType.valueOf(inputDType(k)), w.dtype(k), k);
            }
            assertEquals(new Shape(2, 2), w.get("f32").getShape());
            assertEquals(new Shape(7), w.get("f16").getShape());
            assertEquals(new Shape(2, 3), w.get("bf16").getShape());
            assertEquals(new Shape(4), w.get("f64").getShape());
            assertEquals(new Shape(2, 2), w.shapes().get("i32"));
        }
    }

    @Test
    void passThroughTensorsExposeTheirRawBytes() {
        try (Weights w = Weights.load(in)) {
            for (String k : PASS_THROUGH) {
                ByteBuffer raw = w.entry(k).raw().get();
                byte[] got = new byte[raw.remaining()];
                raw.duplicate().get(got);
                assertArrayEquals(inputBytes(k), got, k);
                assertEquals(DType.valueOf(inputDType(k)), w.dtype(k), k);
            }
        }
    }

    @Test
    void f64IsNarrowedToTheNearestFloat32() throws IOException {
        Path p = dir.resolve("f64.safetensors");
        Files.write(p, HandMadeSafetensors.builder().tensor("d", "F64", new long[] {4}, f64(0.1, 1e-50, 1e300, -1e300)).build());
        try (Weights w = Weights.load(p)) {
            assertArrayEquals(new float[] {0.1f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, w.get("d").toFloatArray());
        }
    }

    @Test
    void defaultSaveWritesFloat32AndCopiesOtherTensorsByteForByte() throws IOException {
        Path out = dir.resolve("out.safetensors");
        try (Weights w = Weights.load(in)) {
            w.save(out);
        }
        HandParsedSafetensors f = HandParsedSafetensors.read(out);
        assertEquals(List.of("f32", "f16", "bf16", "f64", "i64", "i32", "i16", "i8", "u8", "bool"), f.names());
        for (String k : FLOATS) {
            assertEquals("F32", f.dtype(k), k);
            assertArrayEquals(f32(expected(k)), f.bytes(k), k);
        }
        for (String k : PASS_THROUGH) {
            assertEquals(inputDType(k), f.dtype(k), k);
            assertArrayEquals(inputBytes(k), f.bytes(k), k);
        }
        for (HandMadeSafetensors.Tensor t : input.tensors()) {
            assertArrayEquals(t.shape(), f.shape(t.name()), t.name());
        }
        assertEquals(Map.of("format", "pt", "note", "hand made"), f.metadata());
    }

    @Test
    void keepInputDTypeWritesEveryTensorWithItsOwnDTypeAndBytes() throws IOException {
        Path out = dir.resolve("kept.safetensors");
        try (Weights w = Weights.load(in)) {
            w.save(out, SaveOptions.defaults().keepInputDType());
        }
        HandParsedSafetensors f = HandParsedSafetensors.read(out);
        for (HandMadeSafetensors.Tensor t : input.tensors()) {
            assertEquals(t.dtype(), f.dtype(t.name()), t.name());
            assertArrayEquals(t.shape(), f.shape(t.name()), t.name());
            assertArrayEquals(t.data(), f.bytes(t.name()), t.name());
        }
        // the input's data section, tensor for tensor in the same order, so the same bytes
        assertArrayEquals(input.data(), f.data);
    }

    @Test
    void savedFileLoadsBackToTheSameValues() throws IOException {
        Path out = dir.resolve("again.safetensors");
        try (Weights w = Weights.load(in)) {
            w.save(out, SaveOptions.defaults().keepInputDType());
        }
        try (Weights back = Weights.load(out)) {
            for (String k : FLOATS) {
                assertArrayEquals(expected(k), back.get(k).toFloatArray(), k);
            }
            assertEquals(Map.of("format", "pt", "note", "hand made"), back.metadata());
        }
    }

    @Test
    void metadataIsKeptThroughLoadAndSaveAndExtraMetadataIsAdded() throws IOException {
        Path out = dir.resolve("meta.safetensors");
        try (Weights w = Weights.load(in)) {
            assertEquals(Map.of("format", "pt", "note", "hand made"), w.metadata());
            w.save(out, SaveOptions.defaults().withMetadata(Map.of("merged_by", "taulab")).withMetadata(Map.of("note", "merged")));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("format", "pt");
        expected.put("note", "merged");
        expected.put("merged_by", "taulab");
        assertEquals(expected, HandParsedSafetensors.read(out).metadata());
    }

    @Test
    void fileWithoutMetadataIsWrittenWithoutMetadata() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        Files.write(plain, HandMadeSafetensors.builder().tensor("w", "F32", new long[] {2}, f32(1, 2)).build());
        Path out = dir.resolve("plain-out.safetensors");
        try (Weights w = Weights.load(plain)) {
            assertEquals(Map.of(), w.metadata());
            w.save(out);
        }
        HandParsedSafetensors f = HandParsedSafetensors.read(out);
        assertEquals(null, f.header.get("__metadata__"));
        assertArrayEquals(f32(1, 2), f.bytes("w"));
    }

    @Test
    void scalarAndZeroElementTensorsRoundTrip() throws IOException {
        Path p = dir.resolve("odd.safetensors");
        Files.write(p, HandMadeSafetensors.builder()
                .tensor("scalar", "F32", new long[0], f32(3.5f))
                .tensor("empty", "F16", new long[] {0, 3}, new byte[0])
                .tensor("ids", "I64", new long[] {0}, new byte[0])
                .tensor("after", "BF16", new long[] {2}, u16(0x3F80, 0xC040)).build());
        Path out = dir.resolve("odd-out.safetensors");
        try (Weights w = Weights.load(p)) {
            assertArrayEquals(new float[] {3.5f}, w.get("scalar").toFloatArray());
            assertEquals(new Shape(), w.get("scalar").getShape());
            assertEquals(new Shape(0, 3), w.get("empty").getShape());
            assertArrayEquals(new float[] {1.0f, -3.0f}, w.get("after").toFloatArray());
            w.save(out, SaveOptions.defaults().keepInputDType());
        }
        HandParsedSafetensors f = HandParsedSafetensors.read(out);
        assertArrayEquals(new long[0], f.shape("scalar"));
        assertArrayEquals(f32(3.5f), f.bytes("scalar"));
        assertArrayEquals(new long[] {0, 3}, f.shape("empty"));
        assertEquals(0, f.bytes("empty").length);
        assertEquals(0, f.bytes("ids").length);
        assertArrayEquals(u16(0x3F80, 0xC040), f.bytes("after"));
    }

    @Test
    void fileShortenedAfterLoadingIsReportedWhenATensorIsRead() throws IOException {
        // "big" is 80 000 bytes, so it is memory-mapped; "small" is read; reading a mapping past the end of
        // a file would kill the JVM (SIGBUS), so the shortened file must be noticed first
        float[] big = new float[20_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i;
        }
        Path p = dir.resolve("shrinking.safetensors");
        byte[] bytes = HandMadeSafetensors.builder()
                .tensor("small", "F32", new long[] {2}, f32(1, 2))
                .tensor("big", "F32", new long[] {big.length}, f32(big))
                .tensor("tail", "I32", new long[] {1}, i32(7)).build();
        Files.write(p, bytes);
        try (Weights w = Weights.load(p)) {
            Files.write(p, Arrays.copyOf(bytes, bytes.length - 40_000));
            for (String k : List.of("big", "tail")) {
                TauLabException e = assertThrows(TauLabException.class,
                        () -> {
                            if (w.entry(k).isFloat()) {
                                w.get(k);
                            } else {
                                w.entry(k).raw().get();
                            }
                        }, k);
                assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
            assertArrayEquals(new float[] {1, 2}, w.get("small").toFloatArray(), "bytes still in the file are read");
        }
    }

    @Test
    void computedTensorsAreEncodedAsTheRequestedDType() throws IOException {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        // 1.00390625 = 0x3F808000 is a BF16 tie: rounds to even 0x3F80; 1.01171875 = 0x3F818000 rounds up to 0x3F82
        float[] values = {1.0f, -2.0f, 1.00390625f, 1.01171875f};
        entries.put("w", TensorEntry.floating("w", DType.F32, new long[] {2, 2}, m -> m.create(values, new Shape(2, 2))));
        Weights w = new Weights(entries, Map.of(), "computed");
        Path bf16 = dir.resolve("bf16.safetensors");
        Path f16 = dir.resolve("f16.safetensors");
        Path f64 = dir.resolve("f64.safetensors");
        w.save(bf16, SaveOptions.defaults().dtype(DType.BF16));
        w.save(f16, SaveOptions.defaults().dtype(DType.F16));
        w.save(f64, SaveOptions.defaults().dtype(DType.F64));
        assertEquals("BF16", HandParsedSafetensors.read(bf16).dtype("w"));
        assertArrayEquals(u16(0x3F80, 0xC000, 0x3F80, 0x3F82), HandParsedSafetensors.read(bf16).bytes("w"));
        // F16 has 10 fraction bits: 1 + 2^-8 and 1 + 3·2^-8 are exact (0x3C04, 0x3C0C)
        assertArrayEquals(u16(0x3C00, 0xC000, 0x3C04, 0x3C0C), HandParsedSafetensors.read(f16).bytes("w"));
        assertArrayEquals(f64(1.0, -2.0, 1.00390625, 1.01171875), HandParsedSafetensors.read(f64).bytes("w"));
    }
}
