package org.taulab.kernel.jshell;

/** A 1-based line and column in a cell, with the text of that line and a caret under the column. */
public record SourcePosition(int line, int column, String sourceLine) {
    /** The position of character {@code offset} of {@code text}. */
    public static SourcePosition of(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int lineEnd = text.indexOf('\n', lineStart);
        String source = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
        return new SourcePosition(line, offset - lineStart + 1, source);
    }

    /** Spaces up to the column, then {@code ^} (tabs kept so the caret lines up). */
    public String caret() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < column - 1 && i < sourceLine.length(); i++) {
            b.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
        }
        for (int i = sourceLine.length(); i < column - 1; i++) {
            b.append(' ');
        }
        return b.append('^').toString();
    }
}
