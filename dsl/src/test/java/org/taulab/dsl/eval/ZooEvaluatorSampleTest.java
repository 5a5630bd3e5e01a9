package org.taulab.dsl.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.taulab.dsl.data.ImageSet;

class ZooEvaluatorSampleTest {
    @Test
    void quickSamplesAreAFixedSortedSubsetAndSmallSetsStayWhole() {
        int n = 50;
        float[] px = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i;
            px[4 * i] = i;
        }
        ImageSet set = new ImageSet(px, labels, n, 2, 2);
        ImageSet a = ZooEvaluator.sample(set, 10, 7);
        ImageSet b = ZooEvaluator.sample(set, 10, 7);
        assertEquals(10, a.count());
        assertEquals(java.util.Arrays.toString(a.labels()), java.util.Arrays.toString(b.labels()));
        for (int i = 0; i < 10; i++) {
            assertEquals(a.labels()[i], a.pixels()[4 * i], 0);
            assertTrue(i == 0 || a.labels()[i] > a.labels()[i - 1]);
        }
        assertNotEquals(java.util.Arrays.toString(a.labels()), java.util.Arrays.toString(ZooEvaluator.sample(set, 10, 8).labels()));
        assertEquals(set, ZooEvaluator.sample(set, 0, 7));
        assertEquals(set, ZooEvaluator.sample(set, 80, 7));
    }

}
