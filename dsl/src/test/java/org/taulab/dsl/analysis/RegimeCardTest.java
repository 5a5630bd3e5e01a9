package org.taulab.dsl.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The card's derived figures and criteria on a hand-made two-task card. */
class RegimeCardTest {
    private static Map<String, Double> two(double a, double b) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    private static RegimeCard card(Map<String, Double> avg, Map<String, Double> ta, double lambda, double cos) {
        return new RegimeCard("z", "val", List.of("a", "b"), two(0.40, 0.60), two(0.90, 0.90), avg, ta, lambda,
                new double[][] {{1, cos}, {cos, 1}}, two(0.01, 0.02), List.of(0.0, 1.0),
                Map.of("a", List.of(0.4, 0.9), "b", List.of(0.6, 0.9)), List.of(0.5, 0.7));
    }

    @Test
    void gapFractionsAreOfTheTaskAverages() {
        // pretrained 0.50, individual 0.90: averaging at 0.62 recovers 0.12 / 0.40 = 0.30, task arithmetic at 0.70 recovers 0.50
        RegimeCard c = card(two(0.54, 0.70), two(0.60, 0.80), 0.3, 0.05);
        assertEquals(0.30, c.gapFraction(c.average()), 1e-12);
        assertEquals(0.50, c.gapFraction(c.taskArithmetic()), 1e-12);
        assertEquals(0.05, c.meanAbsCosine(), 1e-12);
        assertTrue(c.checks().stream().allMatch(RegimeCard.Check::met), c.checks().toString());
    }

    @Test
    void eachCriterionFailsOnItsOwnCause() {
        // task arithmetic drops task b 4 points below pretrained; λ 0.1; cosine 0.3
        RegimeCard c = card(two(0.54, 0.70), two(0.94, 0.56), 0.1, -0.3);
        Map<String, Boolean> met = new LinkedHashMap<>();
        c.checks().forEach(k -> met.put(k.criterion(), k.met()));
        assertFalse(met.get("task arithmetic's best λ (on val) >= 0.2"));
        assertFalse(met.get("task arithmetic keeps every task within 2 points of pretrained or above"));
        assertFalse(met.get("task vectors' largest |cosine| <= 0.25"));
        assertFalse(met.get("task vectors' mean |cosine| <= 0.10"));
        assertTrue(met.get("weight averaging recovers >= 0.25 of the gap"));
        assertTrue(met.get("individual average >= 85"));
        assertEquals(0.3, c.maxAbsCosine(), 1e-12);
        assertEquals(0.3, ((Number) c.asMap().get("cosine_max_abs")).doubleValue(), 1e-12);
    }
}
