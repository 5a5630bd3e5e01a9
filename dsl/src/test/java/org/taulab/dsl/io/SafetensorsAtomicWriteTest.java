package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.io.HandMadeSafetensors.f32;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/** Saving is atomic: the output is either the complete new file or exactly what was there before. */
class SafetensorsAtomicWriteTest {
    @TempDir
    Path dir;

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static TensorEntry constant(String name, float... values) {
        return TensorEntry.floating(name, DType.F32, new long[] {values.length}, m -> m.create(values, new Shape(values.length)));
    }

    /** Two tensors; the second fails while it is being computed, after the first was written. */
    private static Weights failingSecondTensor(RuntimeException failure) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        entries.put("a", constant("a", 1, 2, 3));
        entries.put("b", TensorEntry.floating("b", DType.F32, new long[] {3}, m -> {
            throw failure;
        }));
        return new Weights(entries, Map.of(), "x");
    }

    @Test
    void savingOverAnExistingFileReplacesItCompletely() throws IOException {
        Path out = dir.resolve("out.safetensors");
        byte[] old = new byte[100_000];
        Arrays.fill(old, (byte) 0x55);
        Files.write(out, old);
        Weights w = new Weights(Map.of("a", constant("a", 1, 2, 3)), Map.of(), "x");
        w.save(out);
        HandParsedSafetensors f = HandParsedSafetensors.read(out);
        assertEquals(8 + f.headerLength + 12, Files.size(out), "nothing of the old, longer file is left");
        assertArrayEquals(f32(1, 2, 3), f.bytes("a"));
        assertEquals(List.of("out.safetensors"), filesInDir());
    }

    @Test
    void failingComputationLeavesTheExistingOutputUntouched() throws IOException {
        Path out = dir.resolve("out.safetensors");
        byte[] old = SafetensorsSamples.allDTypes().build();
        Files.write(out, old);
        TauLabException e = assertThrows(TauLabException.class, () -> failingSecondTensor(new TauLabException("boom")).save(out));
        assertEquals("boom", e.getMessage());
        assertArrayEquals(old, Files.readAllBytes(out));
        assertEquals(List.of("out.safetensors"), filesInDir(), "a *.partial file was left behind");
    }

    @Test
    void failingComputationCreatesNoOutputAndNoTemporaryFile() throws IOException {
        Path out = dir.resolve("new.safetensors");
        assertThrows(TauLabException.class, () -> failingSecondTensor(new TauLabException("boom")).save(out));
        assertFalse(Files.exists(out));
        assertEquals(List.of(), filesInDir());
    }

    @Test
    void unexpectedErrorsAlsoRemoveTheTemporaryFile() throws IOException {
        Path out = dir.resolve("out.safetensors");
        Files.write(out, new byte[] {1, 2, 3});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> failingSecondTensor(new IllegalStateException("native failure")).save(out));
        assertEquals("native failure", e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        assertEquals(List.of("out.safetensors"), filesInDir());
    }

    @Test
    void savingOverTheFileTheWeightsWereLoadedFromIsRefused() throws IOException {
        Path in = dir.resolve("model.safetensors");
        byte[] original = SafetensorsSamples.allDTypes().build();
        Files.write(in, original);
        Files.createDirectory(dir.resolve("sub"));
        Path symlink = Files.createSymbolicLink(dir.resolve("link.safetensors"), in);
        try (Weights w = Weights.load(in)) {
            for (Path target : List.of(in, dir.resolve("sub/../model.safetensors"), symlink)) {
                TauLabException e = assertThrows(TauLabException.class, () -> w.save(target), target.toString());
                assertTrue(e.getMessage().contains("refusing to overwrite an input file"), e.getMessage());
                assertTrue(e.getMessage().contains("model.safetensors") || e.getMessage().contains("link.safetensors"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
            // the loaded weights are still readable from the untouched file
            assertArrayEquals(new float[] {1.0f, -3.0f, 3.140625f, 0.0f, Float.NEGATIVE_INFINITY, 10.0f}, w.get("bf16").toFloatArray());
        }
        assertArrayEquals(original, Files.readAllBytes(in));
        assertEquals(List.of("link.safetensors", "model.safetensors", "sub"), filesInDir());
    }

    @Test
    void savingOverAProtectedInputIsRefused() throws IOException {
        Path base = dir.resolve("base.safetensors");
        byte[] original = SafetensorsSamples.allDTypes().build();
        Files.write(base, original);
        Weights w = new Weights(Map.of("a", constant("a", 1)), Map.of(), "x");
        TauLabException e = assertThrows(TauLabException.class, () -> w.save(base, SaveOptions.defaults().protecting(List.of(base))));
        assertTrue(e.getMessage().startsWith(base.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("refusing to overwrite an input file"), e.getMessage());
        assertArrayEquals(original, Files.readAllBytes(base));
        assertEquals(List.of("base.safetensors"), filesInDir());
    }

    @Test
    void savingToAMissingDirectoryFailsClearly() {
        Path out = dir.resolve("no-such-dir/out.safetensors");
        Weights w = new Weights(Map.of("a", constant("a", 1)), Map.of(), "x");
        TauLabException e = assertThrows(TauLabException.class, () -> w.save(out));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().startsWith(out.toString()), e.getMessage());
    }
}
