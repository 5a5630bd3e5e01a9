package org.taulab.dsl.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.data.ImageSet;

class ZooTrainingPartsTest {
    @Test
    void prototypeHeadIsTheCentredNearestMeanByHand() {
        // Two classes in 2-D, features already unit length: class 0 at (1,0), class 1 at (0,1).
        float[] feats = {1, 0, 1, 0, 0, 1, 0, 1};
        int[] labels = {0, 0, 1, 1};
        float[][] head = ZooBuilder.prototypeHead(feats, labels, 4, 2, 2, 10);
        // mean (0.5, 0.5); directions ±(1,−1)/√2; logits_c = 10·d_c·(f − mean)
        double r = 10 / Math.sqrt(2);
        assertArrayEquals(new float[] {(float) r, (float) -r, (float) -r, (float) r}, head[0], 1e-5f);
        assertArrayEquals(new float[] {0, 0}, head[1], 1e-5f);
        // f = (1,0): logit 0 = r·(0.5 + 0.5) = r·1 > logit 1 = −r
        assertEquals(r, head[0][0] * 1 + head[1][0], 1e-5);
    }

    @Test
    void prototypeHeadNormalizesFeaturesAndCentresWithTheBias() {
        float[] feats = {3, 0, 0, 2, 0, 5};
        int[] labels = {0, 1, 1};
        float[][] head = ZooBuilder.prototypeHead(feats, labels, 3, 2, 2, 1);
        // normalized: (1,0),(0,1),(0,1); mean (1/3, 2/3); d0 ∝ (2/3, −2/3), d1 ∝ (−1/3, 1/3)
        double s = 1 / Math.sqrt(2);
        assertArrayEquals(new float[] {(float) s, (float) -s, (float) -s, (float) s}, head[0], 1e-5f);
        assertArrayEquals(new float[] {(float) (-s * (1 / 3.0 - 2 / 3.0)), (float) (-s * (2 / 3.0 - 1 / 3.0))}, head[1], 1e-5f);
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysByCosineToZero() {
        assertEquals(0.1, ZooBuilder.scheduled(1, 0.1, 0, 100), 1e-12);
        assertEquals(1.0, ZooBuilder.scheduled(1, 0.1, 9, 100), 1e-12);
        assertEquals(1.0, ZooBuilder.scheduled(1, 0.1, 10, 100), 1e-12);
        assertEquals(0.5, ZooBuilder.scheduled(1, 0.1, 55, 100), 1e-12);
        assertTrue(ZooBuilder.scheduled(1, 0.1, 99, 100) < 0.001);
    }

    @Test
    void augmentationIsSeededAndStaysInRange() {
        float[] px = new float[2 * 28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 37 % 101) / 100f;
        }
        ImageSet set = new ImageSet(px, new int[] {0, 1}, 2, 28, 28);
        ImageSet a = Augment.views(set, new Random(5), 0.6, 3, 0.3);
        ImageSet b = Augment.views(set, new Random(5), 0.6, 3, 0.3);
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(set.labels(), a.labels());
        assertNotEquals(0f, diff(a.pixels(), px));
        for (float v : a.pixels()) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    private static float diff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void recipeRoundTripsThroughItsMap() {
        ZooRecipe r = ZooRecipe.standard();
        assertEquals(r, r.with(Map.of()));
        assertEquals(5, r.with(Map.of("finetune_steps", 5)).finetuneSteps());
        assertEquals("contrastive", r.pretext());
    }

    @Test
    void captionLossIsTheCrossEntropyOfTheCaptionedViewsOnly() {
        // b = 2 images, the first captioned 1, the second uncaptioned: rows 0 and 2 count, rows 1 and 3 do not
        float[] z = {1, 0, 0, 1, 0.6f, 0.8f, -1, 0};
        float[] table = {1, 0, 0, 1};
        double t = 0.5;
        try (ai.djl.ndarray.NDManager m = org.taulab.dsl.tensor.Tensors.scope()) {
            float loss = ZooBuilder.captionLoss(m, m.create(z, new ai.djl.ndarray.types.Shape(4, 2)),
                    m.create(table, new ai.djl.ndarray.types.Shape(2, 2)), new int[] {1, -1}, t).getFloat();
            // row 0 = (1, 0): logits (2, 0), caption 1: −log(e^0 / (e^2 + e^0)); row 2 = (0.6, 0.8): logits (1.2, 1.6)
            double row0 = Math.log(Math.exp(2) + 1) - 0;
            double row2 = Math.log(Math.exp(1.2) + Math.exp(1.6)) - 1.6;
            assertEquals((row0 + row2) / 2, loss, 1e-5);
            float none = ZooBuilder.captionLoss(m, m.create(z, new ai.djl.ndarray.types.Shape(4, 2)),
                    m.create(table, new ai.djl.ndarray.types.Shape(2, 2)), new int[] {-1, -1}, t).getFloat();
            assertEquals(0f, Math.abs(none));
        }
    }
}
