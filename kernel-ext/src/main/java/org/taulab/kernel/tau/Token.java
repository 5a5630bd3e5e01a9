package org.taulab.kernel.tau;

/** One token of {@code %%tau} source, with its 1-based line and column. */
record Token(Kind kind, String text, int line, int column) {
    enum Kind { NUMBER, PERCENT_NUMBER, STRING, NAME, OPERATOR, NEWLINE, END }

    boolean is(String operator) {
        return kind == Kind.OPERATOR && text.equals(operator);
    }

    String describe() {
        return switch (kind) {
            case NEWLINE -> "end of line";
            case END -> "end of input";
            case STRING -> "string " + text;
            default -> "'" + text + "'";
        };
    }
}
