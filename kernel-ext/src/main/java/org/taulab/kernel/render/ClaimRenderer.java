package org.taulab.kernel.render;

import org.taulab.repro.Claim;

/**
 * A paper's claim as one HTML line (✓ green, ✗ red, … grey for a claim not checked yet) and as text; the
 * kernel adds the claim's JSON under {@link Claim#MIME_TYPE} so reports can collect claims from executed
 * notebooks.
 */
public final class ClaimRenderer {
    private ClaimRenderer() {
    }

    public static String html(Claim c) {
        String color = switch (c.status()) {
            case HOLDS -> "#1a7f37";
            case FAILS -> "#cf222e";
            case PENDING -> "#6e7781";
        };
        String verdict = switch (c.status()) {
            case HOLDS -> "holds here";
            case FAILS -> "does not hold here";
            case PENDING -> "not checked yet";
        };
        return "<div class=\"taulab-claim\" data-claim-id=\"" + Html.escape(c.id()) + "\" data-status=\""
                + c.status().name().toLowerCase(java.util.Locale.ROOT) + "\" style=\"font-family:sans-serif;font-size:13px;margin:2px 0\">"
                + "<span style=\"color:" + color + ";font-weight:bold\" title=\"" + verdict + "\">" + c.status().symbol() + "</span> "
                + "<code>" + Html.escape(c.id()) + "</code> " + Html.escape(c.statement())
                + (c.evidence().isEmpty() ? "" : " <span style=\"color:#57606a\">— " + Html.escape(c.evidence()) + "</span>")
                + "</div>";
    }

    public static String text(Claim c) {
        return "claim " + c;
    }
}
