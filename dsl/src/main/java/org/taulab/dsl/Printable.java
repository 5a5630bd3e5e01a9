package org.taulab.dsl;

/**
 * Text from a file (tensor names, metadata, paths in messages) made safe for a terminal: control characters
 * (C0, DEL, C1, such as ESC and BEL) become visible escapes, so a crafted name cannot move the cursor, recolour or
 * retitle the terminal, and an empty name is shown as {@code ""}.
 */
public final class Printable {
    private Printable() {
    }

    public static String of(String s) {
        if (s == null) {
            return "null";
        }
        if (s.isEmpty()) {
            return "\"\"";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            if (control && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c == '\r') {
                    out.append("\\r");
                } else {
                    out.append(String.format("\\x%02x", (int) c));
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /** A message for one terminal line: control characters escaped, except that line breaks are kept. */
    public static String message(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (String line : s.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(line.isEmpty() ? "" : of(line));
        }
        return out.toString();
    }
}
