package org.taulab.dsl.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.data.ImageSet;

/** The remembered individual row answers only for the same model, head, images and build. */
class IndividualAccuraciesTest {
    @TempDir
    Path dir;
    private String before;

    @BeforeEach
    void ownCacheFolder() {
        before = System.getProperty("taulab.cache");
        System.setProperty("taulab.cache", dir.resolve("cache").toString());
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("taulab.cache");
        } else {
            System.setProperty("taulab.cache", before);
        }
    }

    private static ImageSet images(float firstPixel, int firstLabel) {
        return new ImageSet(new float[] {firstPixel, 0.5f, 0.25f, 1f, 0f, 0.75f, 0.125f, 0.375f}, new int[] {firstLabel, 1}, 2, 1, 2, 2);
    }

    @Test
    void theDigestFollowsPixelsLabelsAndShape() {
        String d = IndividualAccuracies.digest(images(0.1f, 0));
        assertEquals(d, IndividualAccuracies.digest(images(0.1f, 0)));
        assertNotEquals(d, IndividualAccuracies.digest(images(0.1000001f, 0)), "one pixel's last bit");
        assertNotEquals(d, IndividualAccuracies.digest(images(0.1f, 1)), "one label");
        ImageSet same = images(0.1f, 0);
        ImageSet transposedShape = new ImageSet(same.pixels(), same.labels(), 2, 1, 1, 4);
        assertNotEquals(d, IndividualAccuracies.digest(transposedShape), "the same numbers as 1 × 4 images");
    }

    @Test
    void aStoredAccuracyComesBackExactlyForTheSameKeyOnly() throws Exception {
        Path model = Files.write(dir.resolve("ft.safetensors"), new byte[] {1, 2, 3});
        Path head = Files.write(dir.resolve("head.safetensors"), new byte[] {4, 5});
        String key = IndividualAccuracies.key(model, head, images(0.1f, 0), "build-a");
        assertNull(IndividualAccuracies.get(key));
        double accuracy = 1537.0 / 2000;
        IndividualAccuracies.put(key, accuracy);
        assertEquals(accuracy, IndividualAccuracies.get(key), 0.0);
        assertNull(IndividualAccuracies.get(IndividualAccuracies.key(model, head, images(0.1f, 0), "build-b")), "another build");
        assertNull(IndividualAccuracies.get(IndividualAccuracies.key(model, head, images(0.2f, 0), "build-a")), "other images");
        Thread.sleep(5);
        Files.write(model, new byte[] {1, 2, 4});
        assertNull(IndividualAccuracies.get(IndividualAccuracies.key(model, head, images(0.1f, 0), "build-a")), "a changed model file");
    }

    @Test
    void aDamagedCacheFileReadsAsEmpty() throws Exception {
        Path model = Files.write(dir.resolve("ft.safetensors"), new byte[] {7});
        String key = IndividualAccuracies.key(model, model, images(0.3f, 0), "build");
        IndividualAccuracies.put(key, 0.5);
        Path file = dir.resolve("cache").resolve("individual-accuracy.tsv");
        Files.writeString(file, key + "\tnot a number\n");
        assertNull(IndividualAccuracies.get(key));
        IndividualAccuracies.put(key, 0.25);
        assertEquals(0.25, IndividualAccuracies.get(key), 0.0);
    }
}
