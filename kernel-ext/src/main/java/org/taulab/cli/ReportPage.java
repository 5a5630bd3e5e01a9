package org.taulab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code index.html} of a reproduction report: the headline (claims reproduced N of M), every claim with ✓/✗,
 * a link to each executed notebook (HTML and .ipynb) with its time and errors, and a gallery of its figures.
 */
final class ReportPage {
    private ReportPage() {
    }

    static String html(ReproductionSummary s) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>TauLab reproduction report</title>\n<style>")
                .append("body{font-family:sans-serif;margin:24px auto;max-width:1100px;color:#1f2328}")
                .append("table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{padding:4px 8px;border-bottom:1px solid #d8dee4;text-align:left;vertical-align:top}")
                .append("th{background:#f6f8fa}.holds{color:#1a7f37;font-weight:bold}.fails{color:#cf222e;font-weight:bold}.pending{color:#6e7781}")
                .append(".error{color:#cf222e}.gallery{display:flex;flex-wrap:wrap;gap:12px}.gallery figure{margin:0;width:340px}")
                .append(".gallery img{width:340px;border:1px solid #d8dee4}.gallery figcaption{font-size:12px;color:#57606a}")
                .append("</style></head><body>\n");
        b.append("<h1>TauLab reproduction report</h1>\n<p>").append(s.quick() ? "Quick mode (fewer samples, grid points and task subsets; "
                + "the same code paths)" : "Full run").append(", ").append(String.format("%.0f", s.seconds())).append(" s, ")
                .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(ZonedDateTime.now().withNano(0))).append(".</p>\n");
        b.append("<h2 id=\"headline\">").append(esc(s.headline())).append("</h2>\n");
        if (s.counted() < s.claims().size()) {
            b.append("<p class=\"pending\">").append(s.claims().size() - s.counted())
                    .append(" more claims are listed but not counted: their experiments are not available yet.</p>\n");
        }
        b.append("<h2>Notebooks</h2>\n<table><tr><th>notebook</th><th>time</th><th>tables</th><th>figures</th><th>claims</th><th>errors</th></tr>\n");
        for (ReproductionSummary.NotebookRun n : s.notebooks()) {
            long holds = n.claims().stream().filter(c -> "holds".equals(c.status())).count();
            long counted = n.claims().stream().filter(ReproductionSummary.ClaimResult::counted).count();
            b.append("<tr><td><a href=\"").append(esc(n.html())).append("\">").append(esc(n.name())).append("</a> (<a href=\"")
                    .append(esc(n.notebook())).append("\">.ipynb</a>)</td><td>").append(String.format("%.0f s", n.seconds()))
                    .append("</td><td>").append(n.tables()).append("</td><td>").append(n.figures().size()).append("</td><td>")
                    .append(holds).append(" of ").append(counted).append(" hold</td><td>");
            if (n.errors().isEmpty()) {
                b.append("none");
            }
            for (ReproductionSummary.CellFailure e : n.errors()) {
                b.append("<div class=\"error\">").append(esc(where(e))).append(": ").append(esc(e.ename())).append(": ")
                        .append(esc(e.evalue())).append("</div>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Claims</h2>\n<table id=\"claims\"><tr><th></th><th>claim</th><th>ours</th><th>where</th></tr>\n");
        for (ReproductionSummary.ClaimResult c : s.claims()) {
            b.append("<tr class=\"claim\" data-status=\"").append(esc(c.status())).append("\"><td class=\"").append(esc(c.status())).append("\">")
                    .append(c.symbol()).append("</td><td><code>").append(esc(c.id())).append("</code> ").append(esc(c.claim()))
                    .append("</td><td>").append(esc(c.evidence() == null ? "" : c.evidence())).append("</td><td>").append(esc(c.notebook()))
                    .append(c.source() == null || c.source().isEmpty() ? "" : " / " + esc(c.source())).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Figures</h2>\n");
        for (ReproductionSummary.NotebookRun n : s.notebooks()) {
            if (n.figures().isEmpty()) {
                continue;
            }
            b.append("<h3>").append(esc(n.name())).append("</h3>\n<div class=\"gallery\">");
            for (ReproductionSummary.Figure f : n.figures()) {
                b.append("<figure><a href=\"").append(esc(n.html())).append("\"><img src=\"").append(esc(f.file())).append("\" alt=\"")
                        .append(esc(f.title())).append("\"></a><figcaption>").append(esc(f.title())).append(" (cell ").append(f.cell())
                        .append(")</figcaption></figure>");
            }
            b.append("</div>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    static String where(ReproductionSummary.CellFailure e) {
        return e.cell() < 0 ? "notebook" : "cell " + e.cell() + " (code cell " + e.code_cell() + (e.source().isEmpty() ? "" : ": "
                + e.source()) + ")";
    }

    static void write(Path dir, ReproductionSummary s) throws IOException {
        Path tmp = dir.resolve(".index.html.tmp");
        Files.writeString(tmp, html(s), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("index.html"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
