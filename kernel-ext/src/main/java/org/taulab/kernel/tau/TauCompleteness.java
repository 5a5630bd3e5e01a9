package org.taulab.kernel.tau;

import org.taulab.kernel.jshell.SourceAssist.Completeness;

/** Whether {@code %%tau} code is complete: incomplete when it ends inside brackets or after an operator. */
public final class TauCompleteness {
    private TauCompleteness() {
    }

    public static Completeness of(String source) {
        if (source.stripTrailing().endsWith("\\")) {
            return Completeness.INCOMPLETE;
        }
        try {
            TauParser.parse(source, 1);
            return Completeness.COMPLETE;
        } catch (TauError e) {
            return e.reason().endsWith("found end of input") || e.reason().equals("string is not closed")
                    ? Completeness.INCOMPLETE : Completeness.INVALID;
        }
    }
}
