package org.taulab.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.zoo.Zoo;

/** Every table and figure of the DV-BASI notebook in quick mode: present, with its claims decided and its accuracies in range. */
class DvBasiExperimentsQuickTest {
    @Test
    void everyDvBasiExperimentProducesItsTablesFiguresAndClaims() {
        Zoo zoo = Zoo.open("mini8");
        ReproContext ctx = new ReproContext(zoo, true, Bench.of(zoo, Bench.QUICK_SAMPLES));
        Map<String, int[]> expected = Map.of( // tables, charts, claims
                "dvbasi-ablation", new int[] {1, 0, 3},
                "dvbasi-steps", new int[] {2, 2, 2},
                "dvbasi-alpha", new int[] {1, 1, 1},
                "dvbasi-addition", new int[] {1, 0, 3},
                "dvbasi-negation", new int[] {1, 0, 2},
                "dvbasi-tta", new int[] {1, 0, 2},
                "dvbasi-enhance", new int[] {1, 0, 1});
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Report r = Reproductions.run(e.getKey(), ctx);
            assertEquals(e.getValue()[0], r.tables().size(), e.getKey() + " tables");
            assertEquals(e.getValue()[1], r.charts().size(), e.getKey() + " charts");
            assertEquals(e.getValue()[2], r.claims().size(), e.getKey() + " claims");
            for (Claim c : r.claims()) {
                assertTrue(c.counted(), c.id() + " is decided, not pending");
            }
            for (var t : r.tables()) {
                for (var col : t.numericColumns()) {
                    for (int i = 0; i < t.rowCount(); i++) {
                        double v = col.getDouble(i);
                        assertTrue(Double.isFinite(v) && v >= 0 && v <= 100 || col.name().equals("initial α") || col.name().equals("iteration")
                                || col.name().startsWith("epochs"), e.getKey() + " " + col.name() + " = " + v);
                    }
                }
            }
        }
        Report summary = Reproductions.run("dvbasi-summary", ctx);
        assertEquals(14, summary.tables().get(0).rowCount(), "every claim of the notebook in its summary");
        List<String> names = Reproductions.names();
        assertFalse(names.stream().noneMatch(n -> n.startsWith("dvbasi-")));
    }
}
