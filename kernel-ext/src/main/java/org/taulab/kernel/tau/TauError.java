package org.taulab.kernel.tau;

import org.taulab.dsl.TauLabException;

/**
 * A parse or type error in {@code %%tau} code at a 1-based line and column of the cell; the kernel shows
 * the message, the source line and a caret under the column.
 */
public final class TauError extends TauLabException {
    private final int line;
    private final int column;
    private final String reason;

    public TauError(int line, int column, String reason) {
        super("line " + line + ", column " + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without its position. */
    public String reason() {
        return reason;
    }
}
