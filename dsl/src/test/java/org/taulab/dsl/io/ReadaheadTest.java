package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadaheadTest {
    private static final int TENSOR = 4 << 20;
    private static final int TENSORS = 12;

    @TempDir
    Path dir;

    /** TENSORS u8 tensors of TENSOR bytes each, tensor i filled with byte i. */
    private SafetensorsFile sample() throws Exception {
        StringBuilder json = new StringBuilder("{");
        byte[] data = new byte[TENSOR * TENSORS];
        for (int i = 0; i < TENSORS; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":")
                    .append(HandMadeSafetensors.entry("U8", new long[] {TENSOR}, (long) i * TENSOR, (long) (i + 1) * TENSOR));
            Arrays.fill(data, i * TENSOR, (i + 1) * TENSOR, (byte) i);
        }
        Path file = dir.resolve("big.safetensors");
        Files.write(file, HandMadeSafetensors.file(json.append("}").toString(), data));
        return SafetensorsFile.open(file);
    }

    private static byte[] read(SafetensorsFile f, String name) {
        ByteBuffer b = ByteBuffer.allocate(f.byteLength(name));
        f.read(name, b);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Runs {@code body} with the readahead reading every chunk, as it does where the page cache is cold. */
    private static void withColdCache(ThrowingBody body) throws Exception {
        Readahead.skipResident = false;
        try {
            body.run();
        } finally {
            Readahead.skipResident = true;
        }
    }

    private interface ThrowingBody {
        void run() throws Exception;
    }

    @Test
    void readsOneWindowPastTheLastReadAndNoFurther() throws Exception {
        withColdCache(() -> {
            SafetensorsFile f = sample();
            read(f, "t0");
            Readahead.awaitIdle();
            assertEquals(Readahead.WINDOW, f.readahead().bytesReadAhead(), "the window after t0, nothing more");
            Readahead.awaitIdle();
            assertEquals(Readahead.WINDOW, f.readahead().bytesReadAhead(), "nothing is read twice while the consumer waits");
        });
    }

    @Test
    void pagesAlreadyInThePageCacheAreNotReadAgain() throws Exception {
        SafetensorsFile f = sample();   // just written: its pages are in the page cache
        read(f, "t0");
        Readahead.awaitIdle();
        assertEquals(Readahead.WINDOW, f.readahead().bytesCovered(), "the window after t0 is seen to");
        assertEquals(0, f.readahead().bytesReadAhead(), "without reading a byte of it");
    }

    @Test
    void aSequentialReaderGetsTheFileAndTheReadaheadNeverPassesItsEnd() throws Exception {
        withColdCache(this::sequentialReader);
    }

    private void sequentialReader() throws Exception {
        SafetensorsFile f = sample();
        long fileSize = Files.size(f.path());
        for (int i = 0; i < TENSORS; i++) {
            byte[] expected = new byte[TENSOR];
            Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, read(f, "t" + i), "tensor t" + i);
        }
        Readahead.awaitIdle();
        long ahead = f.readahead().bytesReadAhead();
        long afterFirst = (long) TENSOR * TENSORS - f.info("t0").end();
        assertTrue(ahead <= afterFirst, ahead + " bytes read ahead, at most the " + afterFirst + " that follow t0");
        read(f, "t" + (TENSORS - 1));
        Readahead.awaitIdle();
        assertEquals(ahead, f.readahead().bytesReadAhead(), "nothing follows the last tensor");
    }
}
