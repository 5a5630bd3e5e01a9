package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;

/**
 * Every merge that keeps leading singular triplets gives, with the truncated decomposition, the exact
 * decomposition's output on the committed zoo: per selected matrix within 1e-4 of it (relative Frobenius
 * distance of the merged tensors). Each choice gets its own inputs, so no decomposition is shared between them.
 */
class TruncatedSvdMergesTest {
    private static final Zoo ZOO = Zoo.open("mini8");

    private static MergeInputs inputs() {
        return new MergeInputs(ZOO.pretrained(), new ArrayList<>(ZOO.finetuned().values()), ZOO.tasks());
    }

    private static Merge merge(String method, String svd, Map<String, Object> extra) {
        Map<String, Object> given = new java.util.LinkedHashMap<>(extra);
        given.put("svd", svd);
        return MergeCatalogue.require(method).create(given);
    }

    private static double worstRelativeDistance(Weights a, Weights b) {
        double worst = 0;
        for (TensorEntry e : a.entries().values()) {
            if (!Selector.defaultMatrices().test(e)) {
                continue;
            }
            try (NDManager m = Tensors.scope()) {
                float[] x = a.compute(e.name(), m).toFloatArray();
                float[] y = b.compute(e.name(), m).toFloatArray();
                double d = 0;
                double n = 0;
                for (int i = 0; i < x.length; i++) {
                    d += ((double) x[i] - y[i]) * ((double) x[i] - y[i]);
                    n += (double) y[i] * y[i];
                }
                worst = Math.max(worst, Math.sqrt(d / n));
            }
        }
        return worst;
    }

    @Test
    void everyTopKMergeMatchesItsExactSelfOnTheCommittedZoo() {
        Map<String, Map<String, Object>> cases = new java.util.LinkedHashMap<>();
        cases.put("cart", Map.of());
        cases.put("lowrank-ta", Map.of("lambda", 0.3));
        cases.put("tsvm", Map.of());
        cases.put("iso-cts", Map.of());
        cases.put("cart-indexing", Map.of("task", ZOO.tasks().get(2)));
        for (Map.Entry<String, Map<String, Object>> c : cases.entrySet()) {
            Merge truncatedMerge = merge(c.getKey(), "truncated", c.getValue());
            Weights truncated = truncatedMerge.merge(inputs());
            Weights exact = merge(c.getKey(), "exact", c.getValue()).merge(inputs());
            double worst = worstRelativeDistance(truncated, exact);
            assertTrue(worst <= 1e-4, c.getKey() + ": a merged matrix is " + worst + " away from the exact merge's");
            String parameters = truncatedMerge.metadata().get("taulab.parameters");
            assertTrue(parameters.contains("\"svd\":\"truncated\""), c.getKey() + "'s provenance names the choice: " + parameters);
        }
    }

    @Test
    void theDecompositionIsKeptAndReusedForSmallerRanks() {
        MergeInputs in = inputs();
        TaskVector nu = in.centered().get(0);
        String name = "transformer.resblocks.1.mlp.c_fc.weight";
        Svd five = nu.svd(name, 5, SvdChoice.TRUNCATED);
        assertEquals(5, five.p());
        assertSame(five, nu.svd(name, 3, SvdChoice.AUTO), "fewer triplets come from the kept decomposition");
        Svd eight = nu.svd(name, 8, SvdChoice.TRUNCATED);
        assertEquals(8, eight.p(), "more triplets need a new one");
        Svd full = nu.svd(name, 8, SvdChoice.EXACT);
        assertTrue(full.complete(), "the exact choice never answers from a truncated decomposition");
        assertSame(full, nu.svd(name, 2, SvdChoice.TRUNCATED), "the full decomposition answers every rank");
    }

    @Test
    void aPlannedSweepDecomposesOnceAtItsLargestRank() {
        MergeInputs in = inputs();
        in.planRanks(List.of(0.02, 0.08));
        String name = "transformer.resblocks.0.attn.in_proj_weight";
        Weights small = new CartMerge().rank(0.02).merge(in);
        try (NDManager m = Tensors.scope()) {
            small.compute(name, m);
        }
        Svd kept = in.centered().get(0).svd(name, 1, SvdChoice.AUTO);
        assertEquals(10, kept.p(), "k at 8 % of min(384, 128) = 10, computed for the 2 % point");
        assertFalse(kept.complete());
        Weights unplanned = new CartMerge().rank(0.02).merge(inputs());
        assertTrue(worstRelativeDistance(small, unplanned) <= 1e-4, "the rank-2 % part of a rank-8 % decomposition is the rank-2 % truncation");
    }
}
