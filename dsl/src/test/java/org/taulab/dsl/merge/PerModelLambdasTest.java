package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.tensor.Fixtures.mat;
import static org.taulab.dsl.tensor.Fixtures.random;
import static org.taulab.dsl.tensor.Fixtures.values;
import static org.taulab.dsl.tensor.Fixtures.vec;
import static org.taulab.dsl.tensor.Fixtures.weights;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.tensor.Weights;

/** One λ per fine-tuned model: λ_t scales τ_t as it enters the merge, which then runs with λ = 1. */
class PerModelLambdasTest {
    private static final float EPS = 1e-5f;

    private static Merge create(String method, Map<String, ?> params) {
        return MergeCatalogue.require(method).create(params);
    }

    @Test
    void taskArithmeticWithOneLambdaPerModelByHand() {
        Weights pre = weights("pre", "w", vec(1, 1));
        Weights ft1 = weights("ft1", "w", vec(2, 3));   // τ1 = (1, 2)
        Weights ft2 = weights("ft2", "w", vec(0, 1));   // τ2 = (-1, 0)
        Weights merged = create("task-arithmetic", Map.of("lambda", "0.5,0.25")).merge(new MergeInputs(pre, List.of(ft1, ft2)));
        // (1, 1) + 0.5 (1, 2) + 0.25 (-1, 0) = (1.25, 2)
        assertArrayEquals(new float[] {1.25f, 2}, values(merged, "w"), EPS);
        Weights fromJava = create("task-arithmetic", Map.of("lambda", List.of(0.5, 0.25))).merge(new MergeInputs(pre, List.of(ft1, ft2)));
        assertArrayEquals(values(merged, "w"), values(fromJava, "w"), 0f);
    }

    @Test
    void equalValuesAreTheScalarForTiesAndDare() {
        Random rnd = new Random(7);
        Weights pre = weights("pre", "a", random(rnd, 1, 6, 5), "b", random(rnd, 1, 9));
        List<Weights> fts = List.of(weights("x", "a", random(rnd, 1, 6, 5), "b", random(rnd, 1, 9)),
                weights("y", "a", random(rnd, 1, 6, 5), "b", random(rnd, 1, 9)),
                weights("z", "a", random(rnd, 1, 6, 5), "b", random(rnd, 1, 9)));
        for (String method : List.of("ties", "task-arithmetic", "tsvm")) {
            Weights scalar = create(method, Map.of("lambda", 0.7)).merge(new MergeInputs(pre, fts));
            Weights list = create(method, Map.of("lambda", "0.7,0.7,0.7")).merge(new MergeInputs(pre, fts));
            for (String k : List.of("a", "b")) {
                assertArrayEquals(values(scalar, k), values(list, k), EPS, method + " " + k);
            }
        }
    }

    @Test
    void tiesWithDifferentLambdasIsTiesOfTheScaledModels() {
        Random rnd = new Random(11);
        Weights pre = weights("pre", "a", random(rnd, 1, 8, 3));
        Weights ft1 = weights("x", "a", random(rnd, 1, 8, 3));
        Weights ft2 = weights("y", "a", random(rnd, 1, 8, 3));
        Weights merged = create("ties", Map.of("lambda", "0.3,1.5", "topk", 0.5)).merge(new MergeInputs(pre, List.of(ft1, ft2)));
        // the second construction: θ_pre + λ_t τ_t built by hand, then TIES at λ = 1
        float[] p = values(pre, "a");
        float[] s1 = values(ft1, "a");
        float[] s2 = values(ft2, "a");
        for (int i = 0; i < p.length; i++) {
            s1[i] = p[i] + 0.3f * (s1[i] - p[i]);
            s2[i] = p[i] + 1.5f * (s2[i] - p[i]);
        }
        Weights byHand = create("ties", Map.of("lambda", 1.0, "topk", 0.5)).merge(new MergeInputs(pre,
                List.of(weights("x", "a", mat(8, 3, s1)), weights("y", "a", mat(8, 3, s2)))));
        assertArrayEquals(values(byHand, "a"), values(merged, "a"), EPS);
    }

    @Test
    void theListIsRecordedAndASweepReplacesIt() {
        Merge m = create("ties", Map.of("lambda", "0.3,0.5"));
        assertEquals(List.of(0.3, 0.5), m.parameters().get("lambda"));
        assertTrue(m.metadata().get("taulab.parameters").contains("\"lambda\":\"0.3,0.5\""), m.metadata().toString());
        Merge swept = m.with("lambda", 0.4);
        assertInstanceOf(TiesMerge.class, swept);
        assertEquals(0.4, swept.parameters().get("lambda"));
        assertEquals(0.2, ((Number) m.with("topk", 0.2).parameters().get("topk")).doubleValue(), 0, "another parameter keeps the list");
        assertEquals(List.of(0.3, 0.5), m.with("topk", 0.2).parameters().get("lambda"));
    }

    @Test
    void badListsAreOneLineErrorsNamingTheParameter() {
        Weights pre = weights("pre", "w", vec(1, 1));
        MergeInputs two = new MergeInputs(pre, List.of(weights("a", "w", vec(2, 2)), weights("b", "w", vec(3, 3))));
        BadParameter count = assertThrows(BadParameter.class, () -> create("task-arithmetic", Map.of("lambda", "0.1,0.2,0.3")).merge(two));
        assertEquals("has 3 values for 2 fine-tuned models (one per model, in order)", count.reason());
        BadParameter blank = assertThrows(BadParameter.class, () -> create("ties", Map.of("lambda", "0.1,")));
        assertTrue(blank.reason().contains("an empty one"), blank.reason());
        BadParameter word = assertThrows(BadParameter.class, () -> create("ties", Map.of("lambda", "0.1,lots")));
        assertEquals("lambda", word.parameter().name());
        BadParameter noBase = assertThrows(BadParameter.class, () -> create("cart", Map.of("lambda", "0.1,0.2")));
        assertTrue(noBase.reason().contains("without a base"), noBase.reason());
    }
}
