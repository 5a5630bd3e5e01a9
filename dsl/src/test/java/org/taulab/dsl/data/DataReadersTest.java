package org.taulab.dsl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;

class DataReadersTest {
    @TempDir
    Path dir;

    private Path gz(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
        return p;
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return b.toByteArray();
    }

    @Test
    void idxImagesAndLabels() throws Exception {
        byte[] px = {0, (byte) 255, (byte) 51, 102, 1, 2, 3, 4};
        Path images = gz("img.gz", idx(0x0803, new int[] {2, 2, 2}, px));
        Path labels = gz("lbl.gz", idx(0x0801, new int[] {2}, new byte[] {7, 3}));
        ImageSet s = IdxReader.read(images, labels);
        assertEquals(2, s.count());
        assertEquals(2, s.height());
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f}, java.util.Arrays.copyOf(s.pixels(), 4), 1e-6f);
        assertArrayEquals(new int[] {7, 3}, s.labels());
        TauLabException e = assertThrows(TauLabException.class, () -> IdxReader.read(labels, images));
        assertTrue(e.getMessage().contains("lbl.gz") && e.getMessage().contains("not an IDX image file"), e.getMessage());
        Path truncated = gz("short.gz", java.util.Arrays.copyOf(idx(0x0803, new int[] {2, 2, 2}, px), 20));
        assertTrue(assertThrows(TauLabException.class, () -> IdxReader.read(truncated, labels)).getMessage().contains("truncated"));
    }

    @Test
    void sklearnDigitsAreFramedLikeMnist() throws Exception {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            row.append(16).append(',');
        }
        row.append("5\n");
        Path csv = gz("digits.csv.gz", row.toString().getBytes(StandardCharsets.US_ASCII));
        ImageSet s = DigitsCsvReader.read(csv);
        assertEquals(1, s.count());
        assertEquals(5, s.labels()[0]);
        assertEquals(28, s.width());
        // a uniformly full 8×8 image becomes a full 20×20 box with a 4-pixel black margin
        assertEquals(0f, s.pixels()[3 * 28 + 3]);
        assertEquals(1f, s.pixels()[4 * 28 + 4], 1e-6f);
        assertEquals(1f, s.pixels()[23 * 28 + 23], 1e-6f);
        assertEquals(0f, s.pixels()[24 * 28 + 24]);
        Path bad = gz("bad.csv.gz", "1,2,3\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(TauLabException.class, () -> DigitsCsvReader.read(bad)).getMessage().contains("line 1"));
    }

    @Test
    void rotationAndInversionByHand() {
        // 2×2 image [a b; c d] rotated 90° counter-clockwise is [b d; a c]
        ImageSet s = new ImageSet(new float[] {1, 2, 3, 4}, new int[] {0}, 1, 2, 2);
        assertArrayEquals(new float[] {2, 4, 1, 3}, ImageOps.rotate(s, 1).pixels());
        assertArrayEquals(new float[] {4, 3, 2, 1}, ImageOps.rotate(s, 2).pixels());
        assertArrayEquals(s.pixels(), ImageOps.rotate(ImageOps.rotate(s, 1), 3).pixels());
        assertArrayEquals(new float[] {0, -1, -2, -3}, ImageOps.invert(s).pixels());
    }

    @Test
    void splitsArePermutationsAndDeterministic() {
        int[] p = Splits.permutation(100, 42);
        assertArrayEquals(p, Splits.permutation(100, 42));
        assertEquals(4950, java.util.Arrays.stream(p).sum());
        assertEquals(100, java.util.Arrays.stream(p).distinct().count());
        assertEquals(500, Splits.valSize(5000, 0.1, 5000));
        assertEquals(5000, Splits.valSize(60000, 0.1, 5000));
    }

    @Test
    void glyphRenderingIsDeterministicAndDrawsSomething() {
        Path dejavu = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(dejavu), "fonts-dejavu-core is installed by scripts/setup.sh");
        Font f = GlyphRenderer.loadFont(dejavu);
        List<GlyphRenderer.Sample> samples = List.of(new GlyphRenderer.Sample(0, 'A'), new GlyphRenderer.Sample(0, 'A'));
        float[] a = GlyphRenderer.render(List.of(f), samples, 3);
        float[] b = GlyphRenderer.render(List.of(f), samples, 3);
        assertArrayEquals(a, b, "same seed, same pixels");
        double ink = 0;
        for (int i = 0; i < 784; i++) {
            ink += a[i];
        }
        assertTrue(ink > 20 && ink < 500, "a glyph covers part of the canvas: " + ink);
        boolean differ = false;
        for (int i = 0; i < 784; i++) {
            differ |= a[i] != a[784 + i];
        }
        assertTrue(differ, "each sample gets its own jitter");
    }
}
