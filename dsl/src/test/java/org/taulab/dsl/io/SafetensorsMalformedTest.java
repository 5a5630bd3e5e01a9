package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.io.HandMadeSafetensors.entry;
import static org.taulab.dsl.io.HandMadeSafetensors.f32;
import static org.taulab.dsl.io.HandMadeSafetensors.file;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Weights;

/**
 * One test per malformed safetensors file: each is refused when opened, with a one-line message that
 * starts with the file and says what is wrong. No tensor library is touched: validation is header-only.
 */
class SafetensorsMalformedTest {
    @TempDir
    Path dir;

    /** Loads {@code bytes} saved as {@code name} and returns the message it was refused with. */
    private String refused(String name, byte[] bytes, String... phrases) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        TauLabException e = assertThrows(TauLabException.class, () -> Weights.load(p));
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "message is not one line: " + message);
        assertTrue(message.startsWith(p.toString()), () -> "message does not start with the file: " + message);
        assertTrue(message.contains(name), () -> "message does not name the file: " + message);
        for (String phrase : phrases) {
            assertTrue(message.contains(phrase), () -> "message lacks '" + phrase + "': " + message);
        }
        // the lower-level reader refuses it with the very same message
        assertEquals(message, assertThrows(TauLabException.class, () -> SafetensorsFile.open(p)).getMessage());
        return message;
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void fileShorterThanEightBytes() throws IOException {
        String m = refused("short.safetensors", SafetensorsSamples.shorterThanEightBytes(), "5 bytes", "shorter than the 8-byte header length");
        assertTrue(m.contains("not a safetensors file"), m);
    }

    @Test
    void emptyFile() throws IOException {
        refused("empty.safetensors", SafetensorsSamples.emptyFile(), "0 bytes", "shorter than the 8-byte header length");
    }

    @Test
    void headerLengthLargerThanFile() throws IOException {
        byte[] bytes = SafetensorsSamples.headerLengthLargerThanFile();
        refused("beyond.safetensors", bytes, "header length 1000 is larger than the file (" + bytes.length + " bytes)");
    }

    @Test
    void headerLengthWithinLimitButLargerThanFileAllocatesNothingBig() throws IOException {
        byte[] bytes = file(99_000_000L, "{}", new byte[0]);
        long before = allocatedByThisThread();
        refused("big-prefix.safetensors", bytes, "header length 99000000 is larger than the file");
        long allocated = allocatedByThisThread() - before;
        assertTrue(allocated < 8_000_000, "allocated " + allocated + " bytes to refuse a 10-byte file");
    }

    @Test
    void headerLengthOver100MB() throws IOException {
        long before = allocatedByThisThread();
        refused("huge-header.safetensors", SafetensorsSamples.headerLengthOver100MB(), "header length 200000000 exceeds the 100 MB limit");
        long allocated = allocatedByThisThread() - before;
        assertTrue(allocated < 8_000_000, "allocated " + allocated + " bytes to refuse a 200 MB header length");
    }

    @Test
    void headerLengthNegativeAsSignedLong() throws IOException {
        refused("negative-length.safetensors", SafetensorsSamples.headerLengthNegative(), "header length 18446744073709551615 exceeds the 100 MB limit");
    }

    @Test
    void headerLengthZero() throws IOException {
        refused("zero-length.safetensors", SafetensorsSamples.headerLengthZero(), "header of 0 bytes cannot hold a JSON object");
    }

    @Test
    void headerNotValidJson() throws IOException {
        String m = refused("broken-json.safetensors", SafetensorsSamples.headerNotJson(), "header is not valid JSON (",
                "expected close marker for Object at column 54)");
        assertFalse(m.contains("[Source"), m);
        refused("not-json-at-all.safetensors", file("weights, please", new byte[0]), "header is not valid JSON (Unrecognized token 'weights'");
    }

    @Test
    void headerWithContentAfterTheJsonObject() throws IOException {
        refused("two-objects.safetensors", SafetensorsSamples.headerGarbageAfterJson(), "header is not valid JSON (");
    }

    @Test
    void headerNotAnObject() throws IOException {
        refused("array-header.safetensors", SafetensorsSamples.headerNotObject(), "header is not a JSON object");
        refused("string-header.safetensors", file("\"weights\"", new byte[0]), "header is not a JSON object");
        refused("blank-header.safetensors", file("        ", new byte[0]), "header is not a JSON object");
    }

    @Test
    void headerNotUtf8() throws IOException {
        refused("latin1.safetensors", SafetensorsSamples.headerNotUtf8(), "header is not valid UTF-8");
    }

    @Test
    void deeplyNestedHeaderIsRefusedWithoutStackOverflow() throws IOException {
        String m = refused("nested.safetensors", SafetensorsSamples.headerDeeplyNested(), "header is not valid JSON (");
        assertTrue(m.length() < 400, m);
    }

    @Test
    void hugeNumberInHeaderIsRefused() throws IOException {
        String m = refused("long-number.safetensors", SafetensorsSamples.headerHugeNumber(), "header is not valid JSON (");
        assertTrue(m.length() < 400, "the message should not echo 2000 digits: " + m);
    }

    @Test
    void unknownDTypeF8() throws IOException {
        refused("f8.safetensors", SafetensorsSamples.unknownDTypeF8(), "tensor 'w'", "unknown dtype 'F8_E4M3'", "supported: F64, F32");
    }

    @Test
    void unknownDTypeQ4() throws IOException {
        refused("q4.safetensors", SafetensorsSamples.unknownDTypeQ4(), "tensor 'w'", "unknown dtype 'Q4'");
    }

    @Test
    void missingDType() throws IOException {
        refused("no-dtype.safetensors", SafetensorsSamples.missingDType(), "tensor 'w'", "missing dtype");
    }

    @Test
    void missingShape() throws IOException {
        refused("no-shape.safetensors", SafetensorsSamples.missingShape(), "tensor 'w'", "missing shape");
    }

    @Test
    void negativeShapeEntry() throws IOException {
        refused("negative-shape.safetensors", SafetensorsSamples.negativeShape(), "tensor 'w'", "shape entry -1 is not a non-negative integer");
    }

    @Test
    void fractionalShapeEntry() throws IOException {
        refused("fractional-shape.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", f32(1, 2)),
                "tensor 'w'", "shape entry 2.5 is not a non-negative integer");
    }

    @Test
    void shapeTimesDTypeSizeDoesNotMatchByteRange() throws IOException {
        refused("mismatch.safetensors", SafetensorsSamples.shapeSizeMismatch(), "tensor 'w'", "shape [2, 2] × F32 needs 16 bytes but data_offsets give 12");
    }

    @Test
    void shapeWhoseSizeOverflows() throws IOException {
        refused("overflow.safetensors", SafetensorsSamples.shapeOverflow(), "tensor 'w'", "shape [1099511627776, 1099511627776] is too large");
    }

    @Test
    void shapeWithZeroAndHugeDimensions() throws IOException {
        // zero elements, so zero bytes, but no tensor library can hold such a shape (PyTorch: "Stride calculation overflowed")
        refused("zero-huge.safetensors", SafetensorsSamples.zeroAndHugeDimensions(), "tensor 'w'", "shape [0, 4611686018427387904, 4] is too large");
    }

    @Test
    void dataOffsetsOutOfRange() throws IOException {
        refused("out-of-range.safetensors", SafetensorsSamples.offsetsOutOfRange(), "tensor 'w'",
                "data_offsets [0, 8] out of range (data section is 4 bytes)");
    }

    @Test
    void dataOffsetsReversed() throws IOException {
        refused("reversed.safetensors", SafetensorsSamples.offsetsReversed(), "tensor 'w'", "data_offsets [8, 0] out of range");
    }

    @Test
    void dataOffsetsNotTwoIntegers() throws IOException {
        refused("one-offset.safetensors", SafetensorsSamples.offsetsNotTwoIntegers(), "tensor 'w'", "data_offsets must be two integers [begin, end]");
        refused("no-offsets.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", f32(1, 2)), "data_offsets must be two integers");
        refused("text-offsets.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",\"8\"]}}", f32(1, 2)),
                "data_offsets must be two integers");
    }

    @Test
    void overlappingOffsets() throws IOException {
        refused("overlap.safetensors", SafetensorsSamples.overlappingOffsets(), "tensors 'a' and 'b' overlap in the data section");
    }

    @Test
    void duplicateTensorName() throws IOException {
        refused("duplicate.safetensors", SafetensorsSamples.duplicateTensorName(), "duplicate tensor name in header: 'w'");
    }

    @Test
    void duplicateKeyInsideATensorEntryIsNotCalledATensorName() throws IOException {
        String m = refused("duplicate-dtype.safetensors", SafetensorsSamples.duplicateKeyInEntry(), "duplicate key 'dtype'", "tensor 'w'");
        assertFalse(m.contains("duplicate tensor name"), m);
    }

    @Test
    void duplicateMetadataKey() throws IOException {
        refused("duplicate-meta.safetensors", SafetensorsSamples.duplicateMetadataKey(), "__metadata__ has duplicate key 'format'");
    }

    @Test
    void trailingGarbageAfterLastTensor() throws IOException {
        refused("trailing.safetensors", SafetensorsSamples.trailingGarbage(), "trailing garbage: 3 bytes after the last tensor");
    }

    @Test
    void holeBetweenTensors() throws IOException {
        refused("hole.safetensors", SafetensorsSamples.holeBetweenTensors(), "4 unused bytes before tensor 'b' in the data section");
    }

    @Test
    void headerEntryNotAnObject() throws IOException {
        refused("entry-number.safetensors", SafetensorsSamples.entryNotObject(), "tensor 'w'", "header entry is not an object");
    }

    @Test
    void metadataValueNotAString() throws IOException {
        refused("meta-number.safetensors", SafetensorsSamples.metadataNotString(), "__metadata__ value 'epochs' is not a string");
        refused("meta-array.safetensors", file("{\"__metadata__\":[1]}", new byte[0]), "__metadata__ must be an object of strings");
    }

    @Test
    void tensorNameWithNewlineStaysOneLine() throws IOException {
        refused("newline.safetensors", SafetensorsSamples.newlineInTensorName(), "tensor 'bad\\nname'", "out of range");
    }

    @Test
    void truncatedFiles() throws IOException {
        byte[] full = SafetensorsSamples.allDTypes().build();
        refused("cut-prefix.safetensors", HandMadeSafetensors.truncate(full, 6), "shorter than the 8-byte header length");
        refused("cut-header.safetensors", HandMadeSafetensors.truncate(full, 40), "is larger than the file (40 bytes)");
        refused("cut-data.safetensors", HandMadeSafetensors.truncate(full, full.length - 3), "tensor 'bool'", "out of range");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("absent.safetensors");
        TauLabException e = assertThrows(TauLabException.class, () -> Weights.load(p));
        assertEquals(p + ": no such file", e.getMessage());
    }
}
