package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * Arbitrary bytes as a safetensors file: {@link Weights#load} either refuses them with a one-line
 * {@link TauLabException} naming the file, or accepts them, and then every float tensor computes with the
 * shape its header gives and every raw tensor has exactly its byte size (or is refused the same way). Any
 * other throwable (OutOfMemoryError, IllegalArgumentException, NegativeArraySizeException, a DJL engine
 * error, a failed assertion) is a finding.
 *
 * <p>Regression mode, the default and what CI runs: once per file in
 * {@code src/test/resources/org/taulab/dsl/io/SafetensorsFuzzTestInputs/loadArbitraryBytes/} (seeds written by
 * {@link SeedCorpusGenerator}, plus any finding kept there), and once with empty input. Jazzer's hooks are off
 * in this mode (dsl/pom.xml, {@code jazzer.hooks}).
 *
 * <p>Fuzzing, one minute: {@code JAZZER_FUZZ=1 mvn -o -pl dsl test -Dtest=SafetensorsFuzzTest} (add
 * {@code JAZZER_INSTRUMENT='org.taulab.**,com.fasterxml.jackson.**'} to guide it through the JSON parser too).
 * A crashing input is written to the directory above as {@code crash-<sha1>}: keep it there as a regression
 * input. The generated corpus goes to {@code dsl/.cifuzz-corpus/}; do not commit it.
 */
class SafetensorsFuzzTest {
    private static Path file;

    static synchronized Path file() throws IOException {
        if (file == null) {
            file = Files.createTempFile("fuzz-", ".safetensors");
            file.toFile().deleteOnExit();
        }
        return file;
    }

    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F64\"", "\"F32\"", "\"F16\"",
            "\"BF16\"", "\"I64\"", "\"I32\"", "\"I16\"", "\"I8\"", "\"U8\"", "\"BOOL\"", ":[", "],", "{", "}", "[0,0]"})
    void loadArbitraryBytes(byte[] data) throws IOException {
        Path p = file();
        Files.write(p, data);
        loadAndReadEverything(p);
    }

    /** The invariant every fuzz test here checks for the file at {@code p}. */
    static void loadAndReadEverything(Path p) {
        Weights w;
        try {
            w = Weights.load(p);
        } catch (TauLabException e) {
            assertOneLine(e, p);
            return;
        }
        try (w) {
            for (String k : w.keys()) {
                TensorEntry e = w.entry(k);
                try {
                    if (e.isFloat()) {
                        NDArray x = w.get(k);
                        assertEquals(new Shape(e.shape()), x.getShape(), k);
                        assertEquals(e.elements(), x.toFloatArray().length, k);
                    } else {
                        ByteBuffer raw = e.raw().get();
                        assertEquals(e.elements() * e.dtype().bytes(), raw.remaining(), k);
                    }
                } catch (TauLabException refused) {
                    assertOneLine(refused, p);
                }
            }
        }
    }

    private static void assertOneLine(TauLabException e, Path p) {
        String m = e.getMessage();
        assertTrue(m.startsWith(p.toString()), m);
        assertFalse(m.contains("\n") || m.contains("\r"), m);
    }
}
