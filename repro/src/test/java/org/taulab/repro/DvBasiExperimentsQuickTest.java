package org.taulab.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.zoo.Zoo;
import org.taulab.repro.catalogue.Reproductions;

/** Every table and figure of the DV-BASI notebook in quick mode: present, with its claims decided and its accuracies in range. */
class DvBasiExperimentsQuickTest {
    @Test
    void everyDvBasiExperimentProducesItsTablesFiguresAndClaims() {
        Zoo zoo = Zoo.open("mini8");
        ReproContext ctx = new ReproContext(zoo, true, ZooEvaluator.of(zoo, ZooEvaluator.QUICK_SAMPLES));
        Map<String, int[]> expected = new LinkedHashMap<>(); // tables, charts, claims, in notebook order
        expected.put("dvbasi-ablation", new int[] {1, 0, 3});
        expected.put("dvbasi-steps", new int[] {2, 2, 2});
        expected.put("dvbasi-alpha", new int[] {1, 1, 1});
        expected.put("dvbasi-addition", new int[] {1, 0, 3});
        expected.put("dvbasi-negation", new int[] {1, 0, 2});
        expected.put("dvbasi-tta", new int[] {1, 0, 2});
        expected.put("dvbasi-enhance", new int[] {1, 0, 1});
        List<String> claimed = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Report r = Reproductions.run(e.getKey(), ctx);
            r.claims().forEach(c -> claimed.add(c.status().symbol() + " " + c.id()));
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
        // the summary lists every claim the experiments made, in order, with the verdict each gave (memoized runs)
        var table = Reproductions.run("dvbasi-summary", ctx).tables().get(0);
        List<String> summarized = new ArrayList<>();
        for (int i = 0; i < table.rowCount(); i++) {
            summarized.add(table.stringColumn("holds").get(i) + " " + table.stringColumn("id").get(i));
        }
        assertEquals(claimed, summarized);
        assertEquals(14, summarized.size());
    }
}
