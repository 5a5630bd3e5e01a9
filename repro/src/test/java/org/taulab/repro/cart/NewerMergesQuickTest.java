package org.taulab.repro.cart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.zoo.Zoo;
import org.taulab.repro.Claim;
import org.taulab.repro.Report;
import org.taulab.repro.ReproContext;
import org.taulab.repro.catalogue.Reproductions;
import tech.tablesaw.api.Table;

/** The newer-merges table in quick mode: every row, every claim decided, each λ the best of its search on val. */
class NewerMergesQuickTest {
    @Test
    void everyNewerMergeHasARowSelectedOnValAndADecidedClaim() {
        Zoo zoo = Zoo.open("mini8");
        ReproContext ctx = new ReproContext(zoo, true, ZooEvaluator.of(zoo, ZooEvaluator.QUICK_SAMPLES));
        Report r = Reproductions.run("cart-newer-merges", ctx);
        Table t = r.tables().get(0);
        assertEquals(List.of("weight averaging", "task arithmetic", "CART", "TSV-M", "Iso-C", "Iso-CTS", "WUDI (closed form)", "MagMax",
                "Model Stock", "DARE (p 0.5)", "DARE-TIES (p 0.5)", "Breadcrumbs (d 0.1, β 0.01)", "task arithmetic + LiNeS", "RegMean (α 0.9)",
                "Fisher", "EMR (task ids)"), t.stringColumn("method").asList());
        assertEquals(13, r.claims().size());
        for (Claim c : r.claims()) {
            assertTrue(c.counted(), c.id() + " is decided");
        }
        for (int i = 0; i < t.rowCount(); i++) {
            double test = t.doubleColumn("test avg %").getDouble(i);
            assertTrue(test >= 0 && test <= 100, t.stringColumn("method").get(i) + " " + test);
        }
        // a searched row reports the val score of the best point of its own search, and that point's λ
        CartStudy s = CartStudy.of(ctx);
        CartStudy.Row iso = (CartStudy.Row) ctx.memo("cart.newer.iso-c", () -> null);
        Table search = iso.searches().get(0);
        double best = search.numberColumn(search.columnCount() - 1).max();
        assertEquals(best, iso.valAverage(), 1e-9);
        assertTrue(s.isoGrid().contains(((Number) iso.parameters().get("lambda")).doubleValue()));
    }
}
