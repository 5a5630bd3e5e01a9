package org.taulab.repro;

/** A short remark in a report (what a figure shows, why a row is missing), as HTML and as text. */
public record Note(String html, String text) {
    public static Note text(String text) {
        return new Note("<p class=\"taulab-note\" style=\"font-family:sans-serif;font-size:13px;color:#57606a\">"
                + escape(text) + "</p>", text);
    }

    /** A warning-coloured note, e.g. a step that is not available yet. */
    public static Note warning(String text) {
        return new Note("<p class=\"taulab-note taulab-warning\" style=\"font-family:sans-serif;font-size:13px;color:#9a6700;"
                + "background:#fff8c5;padding:4px 8px\">" + escape(text) + "</p>", text);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        return text;
    }
}
