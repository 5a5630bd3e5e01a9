package org.taulab.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.taulab.Claims;
import org.taulab.Tau;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.ImageSet;
import tech.tablesaw.api.Table;

class ReproTest {
    @Test
    void quickModeComesFromThePropertyOrTheEnvironment() {
        String old = System.getProperty("taulab.quick");
        try {
            System.setProperty("taulab.quick", "1");
            assertTrue(Tau.quick());
            assertEquals(2, (int) Tau.quickOr(2, 20));
            System.setProperty("taulab.quick", "false");
            assertFalse(Tau.quick());
            assertEquals(20, (int) Tau.quickOr(2, 20));
        } finally {
            if (old == null) {
                System.clearProperty("taulab.quick");
            } else {
                System.setProperty("taulab.quick", old);
            }
        }
    }

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
        ImageSet a = Bench.sample(set, 10, 7);
        ImageSet b = Bench.sample(set, 10, 7);
        assertEquals(10, a.count());
        assertEquals(java.util.Arrays.toString(a.labels()), java.util.Arrays.toString(b.labels()));
        for (int i = 0; i < 10; i++) {
            assertEquals(a.labels()[i], a.pixels()[4 * i], 0);
            assertTrue(i == 0 || a.labels()[i] > a.labels()[i - 1]);
        }
        assertNotEquals(java.util.Arrays.toString(a.labels()), java.util.Arrays.toString(Bench.sample(set, 10, 8).labels()));
        assertEquals(set, Bench.sample(set, 0, 7));
        assertEquals(set, Bench.sample(set, 80, 7));
    }

    @Test
    void reportsHoldTablesChartsClaimsAndNotesAndAttributeTheirClaims() {
        Report r = new Report("demo");
        r.add(Table.create("t")).add(new XYChart(100, 100)).add(Claims.check("a-b", "a beats b", true, "1 vs 0")).note("hello");
        assertEquals(1, r.tables().size());
        assertEquals(1, r.charts().size());
        assertEquals("demo", r.claims().get(0).source());
        assertEquals("hello", r.items().get(3).toString());
        assertThrows(IllegalArgumentException.class, () -> r.add("text"));
    }

    @Test
    void unknownExperimentsNameTheKnownOnes() {
        TauLabException e = assertThrows(TauLabException.class, () -> Reproductions.find("nope"));
        assertTrue(e.getMessage().contains("cart-table"), e.getMessage());
        Table list = Reproductions.table();
        assertTrue(list.stringColumn("name").contains("cart-rank-curve"));
        assertTrue(Reproductions.all().stream().allMatch(x -> !x.notebook().isEmpty() && !x.title().isEmpty()));
    }

    @Test
    void formatsPercentagesAndNumbers() {
        assertEquals(61.2, Format.pct(0.61234));
        assertEquals("61.2", Format.pctText(0.61234));
        assertEquals("0.08", Format.num(0.08));
        assertEquals("2", Format.num(2.0));
    }
}
