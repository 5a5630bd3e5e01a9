package org.taulab.kernel.render;

import org.taulab.dsl.learn.LearnResult;

/** A learned merge in a notebook: its one-line summary, its history chart (PNG) and its per-epoch table. */
final class LearnResultRenderer {
    private LearnResultRenderer() {
    }

    static String html(LearnResult result) {
        return "<div class=\"taulab-learn\"><p><b>" + Html.escape(result.method()) + "</b> " + Html.escape(result.parameters().toString())
                + "</p><p>" + Html.escape(summary(result)) + "</p>"
                + "<img alt=\"history\" src=\"data:image/png;base64," + ChartRenderer.png(result.plot()) + "\"/>"
                + TableRenderer.html(result.table()) + "</div>";
    }

    static String summary(LearnResult result) {
        return String.format(java.util.Locale.ROOT, "val accuracy %.2f%% → %.2f%% over %d epochs", 100 * result.initialValAccuracy(),
                100 * result.finalValAccuracy(), result.history().size());
    }
}
