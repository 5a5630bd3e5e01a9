package org.taulab.repro.cart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CartGridsTest {
    @Test
    void rangesAreRoundedAndInclusive() {
        assertEquals(20, CartStudy.range(0.05, 1.0, 0.05).size());
        assertEquals(List.of(0.2, 0.3, 0.4, 0.5, 0.6), CartStudy.range(0.2, 0.6, 0.1));
        assertEquals(15, CartStudy.range(0.2, 3.0, 0.2).size());
        assertEquals(3.0, CartStudy.range(0.2, 3.0, 0.2).get(14));
    }

    @Test
    void thePeakOfARankCurveIsChosenOnValAmongInteriorRanks() {
        List<CartStudy.RankPoint> curve = List.of(new CartStudy.RankPoint(0, 0.9, null), new CartStudy.RankPoint(0.08, 0.5, null),
                new CartStudy.RankPoint(0.32, 0.6, null), new CartStudy.RankPoint(1, 0.95, null));
        assertEquals(0.32, CartExperiments.interiorPeak(curve).rank());
    }
}
