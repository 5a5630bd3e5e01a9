package org.taulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproduceCommandTest {
    @TempDir
    Path dir;

    @Test
    void selectsNotebooksByNameFileNameOrNumber() throws Exception {
        for (String f : List.of("01-cart.ipynb", "00-task-arithmetic.ipynb", ".hidden.ipynb", "notes.md")) {
            Files.writeString(dir.resolve(f), "{}");
        }
        assertEquals(List.of("00-task-arithmetic.ipynb", "01-cart.ipynb"), names(ReproduceCommand.select(dir, null)));
        assertEquals(List.of("01-cart.ipynb"), names(ReproduceCommand.select(dir, "01")));
        assertEquals(List.of("01-cart.ipynb"), names(ReproduceCommand.select(dir, "01-cart")));
        assertEquals(List.of("01-cart.ipynb"), names(ReproduceCommand.select(dir, "01-cart.ipynb")));
        TauLabCli.UsageException e = assertThrows(TauLabCli.UsageException.class, () -> ReproduceCommand.select(dir, "02"));
        assertTrue(e.getMessage().contains("00-task-arithmetic.ipynb, 01-cart.ipynb"), e.getMessage());
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void theIndexListsEveryClaimLinksNotebooksAndShowsErrors() {
        var holds = new ReproductionSummary.ClaimResult("a-b", "A beats B (paper: 2 vs 1)", "holds", true, "ours: 3 vs 2", "exp", "01-x", 3);
        var fails = new ReproductionSummary.ClaimResult("c-d", "C < D", "fails", false, "", "", "01-x", 4);
        var pending = new ReproductionSummary.ClaimResult("e-f", "E later", "pending", null, "not available yet", "", "02-y", 1);
        var ok = new ReproductionSummary.NotebookRun("01-x", "/n/01-x.ipynb", "01-x.ipynb", "01-x.html", 12.3, 5, 2,
                List.of(new ReproductionSummary.Figure("figures/01-x-cell02-0.png", 2, "XYChart \"loss\"")), List.of(holds, fails), List.of(), false);
        var broken = new ReproductionSummary.NotebookRun("02-y", "/n/02-y.ipynb", "02-y.ipynb", "02-y.html", 1, 3, 0, List.of(),
                List.of(pending), List.of(new ReproductionSummary.CellFailure(2, 1, "TauLabException", "bad <thing>", "%reproduce z")), false);
        ReproductionSummary s = new ReproductionSummary(true, 13.3, "/k", List.of(ok, broken));
        assertEquals("claims reproduced: 1 of 2", s.headline());
        assertTrue(s.failed());
        String html = ReportPage.html(s);
        assertTrue(html.contains("<h2 id=\"headline\">claims reproduced: 1 of 2</h2>"), html);
        assertTrue(html.contains("1 more claims are listed but not counted"), html);
        assertEquals(3, html.split("<tr class=\"claim\"", -1).length - 1);
        assertTrue(html.contains("<a href=\"01-x.html\">01-x</a> (<a href=\"01-x.ipynb\">.ipynb</a>)"), html);
        assertTrue(html.contains("<img src=\"figures/01-x-cell02-0.png\" alt=\"XYChart &quot;loss&quot;\">"), html);
        assertTrue(html.contains("cell 2 (code cell 1: %reproduce z): TauLabException: bad &lt;thing&gt;"), html);
        assertTrue(html.contains("<td class=\"holds\">✓</td><td><code>a-b</code> A beats B (paper: 2 vs 1)</td><td>ours: 3 vs 2</td>"), html);
        assertFalse(html.contains("<thing>"));
    }
}
