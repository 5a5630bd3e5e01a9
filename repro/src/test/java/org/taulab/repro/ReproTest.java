package org.taulab.repro;

import org.taulab.repro.catalogue.Reproductions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.taulab.Tau;
import org.taulab.dsl.TauLabException;
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
