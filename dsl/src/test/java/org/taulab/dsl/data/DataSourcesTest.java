package org.taulab.dsl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.data.manifest.FileVerifier;

/** The mosaic8 sources' building blocks against hand-computed cases. */
class DataSourcesTest {
    @Test
    void boxFilterAveragesEachCellAndCompositesTransparencyOntoTheBackground() {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 2; y++) {
            img.setRGB(0, y, 0xffff0000);
            img.setRGB(1, y, 0xff0000ff);
            img.setRGB(2, y, 0x00000000);
            img.setRGB(3, y, 0x00000000);
        }
        // letterboxed into 4x4 on white: rows 0 and 3 are background; cell (x 0-1, y 0-1) of the 2x2 output covers
        // one white row and one row of red+blue: R = (1 + 1 + 1 + 0) / 4, G = (1 + 1 + 0 + 0) / 4, B = (1 + 1 + 0 + 1) / 4.
        float[] out = Raster.square(img, 2, Color.WHITE);
        assertEquals(Raster.quantize(0.75), out[0], 1e-7);
        assertEquals(Raster.quantize(0.5), out[4], 1e-7);
        assertEquals(Raster.quantize(0.75), out[8], 1e-7);
        // the transparent right half shows white
        assertEquals(1f, out[1], 1e-7);
        assertEquals(1f, out[5], 1e-7);
        assertEquals(1f, out[9], 1e-7);
    }

    @Test
    void conformReplicatesGrayAndKeepsValuesOnTheByteGrid() {
        ImageSet gray = new ImageSet(new float[] {0.2f, 0.4f, 0.6f, 0.8f}, new int[] {3}, 1, 2, 2);
        ImageSet rgb = Raster.conform(gray, 3, 2);
        assertEquals(3, rgb.channels());
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 4; k++) {
                assertEquals(Raster.quantize(0.2 * (k + 1)), rgb.pixels()[c * 4 + k], 1e-7);
            }
        }
        assertArrayEquals(new int[] {3}, rgb.labels());
    }

    @Test
    void trainValAndTestCropsComeEachFromItsOwnStrip() {
        BufferedImage img = new BufferedImage(100, 40, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 100; x++) {
            for (int y = 0; y < 40; y++) {
                img.setRGB(x, y, x < 50 ? 0xff0000 : x < 75 ? 0x0000ff : 0x00ff00);
            }
        }
        ImageSet train = Patches.crops(List.of(img), 0, 0.5, 20, 0.2, 0.6, 4, 1);
        ImageSet val = Patches.crops(List.of(img), 0.5, 0.75, 20, 0.2, 0.6, 4, 1);
        ImageSet test = Patches.crops(List.of(img), 0.75, 1, 20, 0.2, 0.6, 4, 1);
        for (int i = 0; i < 20; i++) {
            for (int k = 0; k < 16; k++) {
                assertEquals(1f, train.pixels()[i * 48 + k], "train crop " + i + " is all red");
                assertEquals(0f, train.pixels()[i * 48 + 32 + k]);
                assertEquals(1f, val.pixels()[i * 48 + 32 + k], "val crop " + i + " is all blue");
                assertEquals(0f, val.pixels()[i * 48 + k]);
                assertEquals(0f, val.pixels()[i * 48 + 16 + k]);
                assertEquals(1f, test.pixels()[i * 48 + 16 + k], "test crop " + i + " is all green");
                assertEquals(0f, test.pixels()[i * 48 + 32 + k]);
            }
        }
    }

    @Test
    void codePointRangesKeepOnlyWhatTheFontShows() {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        int[] cps = ColourGlyphs.codePoints("U+0041-U+0043,xy", font);
        assertArrayEquals(new int[] {'A', 'B', 'C', 'x', 'y'}, cps);
    }

    @Test
    void evenlySpacedKeepsKCharactersSpreadOverTheRange() {
        int[] cps = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
        assertArrayEquals(new int[] {10, 13, 16}, ColourGlyphs.evenlySpaced(cps, 3));
        assertArrayEquals(new int[] {10, 12, 14, 16, 18}, ColourGlyphs.evenlySpaced(cps, 5));
        assertSame(cps, ColourGlyphs.evenlySpaced(cps, 10));
        assertSame(cps, ColourGlyphs.evenlySpaced(cps, null));
    }

    @Test
    void glyphsAreSeededAndLabelledByClass() {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        List<ColourGlyphs.GlyphClass> classes = List.of(
                new ColourGlyphs.GlyphClass("a", List.of(font), List.of(new int[] {'A'}), List.of(new int[] {'A'})),
                new ColourGlyphs.GlyphClass("b", List.of(font), List.of(new int[] {'B'}), List.of(new int[] {'B'})));
        ImageSet one = ColourGlyphs.render(classes, 3, true, 16, 5);
        ImageSet two = ColourGlyphs.render(classes, 3, true, 16, 5);
        assertArrayEquals(one.pixels(), two.pixels());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, one.labels());
        ImageSet other = ColourGlyphs.render(classes, 3, true, 16, 6);
        assertTrue(!java.util.Arrays.equals(one.pixels(), other.pixels()));
    }

    @Test
    void treeDigestMatchesAnIndependentComputationAndSkipsLinks(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Files.createDirectories(a.resolve("sub"));
        Files.writeString(a.resolve("x.txt"), "hello");
        Files.writeString(a.resolve("sub/y.bin"), "world!");
        Files.createSymbolicLink(a.resolve("sub/link.txt"), Path.of("../x.txt"));
        long[] size = new long[1];
        // computed with Python's hashlib over the lines "sub/y.bin <sha>\nx.txt <sha>\n"
        assertEquals("2a3765156f196c015b1af0e150afaefc14ec1f7e33b06f47d7436bcfb8c96260", FileVerifier.treeDigest(a, size));
        assertEquals(11, size[0]);
    }

    @Test
    void cachedTasksReadBackEqual(@TempDir Path dir) {
        ImageSet s = new ImageSet(new float[] {0f, 1f, 128 / 255f, 3 / 255f, 1f, 0f}, new int[] {1, 0}, 2, 3, 1, 1);
        List<TaskData> tasks = List.of(new TaskData("t", "d", List.of("x", "y"), s, s.first(1), s));
        int[] builds = new int[1];
        List<TaskData> first = BenchmarkCache.load(dir, "b-k", () -> {
            builds[0]++;
            return tasks;
        });
        List<TaskData> again = BenchmarkCache.load(dir, "b-k", () -> {
            builds[0]++;
            return tasks;
        });
        assertEquals(1, builds[0], "the second load reads the cache");
        assertEquals(first.get(0).classes(), again.get(0).classes());
        assertArrayEquals(s.pixels(), again.get(0).train().pixels());
        assertArrayEquals(s.labels(), again.get(0).test().labels());
        assertEquals(1, again.get(0).val().count());
        assertTrue(Files.isRegularFile(dir.resolve("b-k.bin.gz")));
        BenchmarkCache.load(dir, "b-k2", () -> tasks);
        BenchmarkCache.load(dir, "b-x-k3", () -> tasks);
        assertTrue(!Files.exists(dir.resolve("b-k.bin.gz")), "an entry under an older key is removed");
        assertTrue(Files.isRegularFile(dir.resolve("b-k2.bin.gz")), "another benchmark's entry is kept");
    }
}
