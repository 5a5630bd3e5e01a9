package org.taulab.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import org.taulab.dsl.TauLabException;

/**
 * What went wrong in a cell, shown as one readable error: a name, a one-line message, and a few detail
 * lines (the offending source line and a caret, or the user's own stack frames).
 */
public final class CellError extends RuntimeException {
    private final String name;
    private final List<String> detail;

    public CellError(String name, String message, List<String> detail, Throwable cause) {
        super(message, cause);
        this.name = name;
        this.detail = List.copyOf(detail);
    }

    public static CellError compile(String message, List<String> detail) {
        return new CellError("CompilationError", message, detail, null);
    }

    public static CellError interrupted() {
        return new CellError("Interrupted", "interrupted by the user", List.of(), null);
    }

    /**
     * An exception thrown by the user's code: the innermost cause first (usually the one that says what
     * happened), then what wrapped it, then the frames of the user's own snippets.
     */
    public static CellError thrown(Throwable t) {
        return thrown(t, null);
    }

    /**
     * The same, with where it was thrown in the user's code ({@code where}: lines from JShell's translated frames) in
     * place of the raw frames' method names, when known.
     */
    public static CellError thrown(Throwable t, List<String> where) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        Throwable root = chain.get(chain.size() - 1);
        for (Throwable c : chain) {
            if (c instanceof TauLabException) {
                root = c;
                break;
            }
        }
        if (root instanceof TauLabException) {
            return new CellError(root.getClass().getSimpleName(), String.valueOf(root.getMessage()), List.of(), t);
        }
        List<String> detail = new ArrayList<>();
        for (int i = chain.size() - 2; i >= 0; i--) {
            detail.add("wrapped in " + describe(chain.get(i)));
        }
        if (where != null && !where.isEmpty()) {
            detail.addAll(where);
        } else {
            for (StackTraceElement frame : root.getStackTrace()) {
                if (frame.getClassName().startsWith("REPL.")) {
                    detail.add(frame.getMethodName().equals("do_it$") ? "in the cell's code" : "in " + frame.getMethodName() + "()");
                }
            }
        }
        String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
        return new CellError(root.getClass().getSimpleName(), message, detail, t);
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Short name of the error ({@code CompilationError}, {@code IllegalStateException}, ...). */
    public String errorName() {
        return name;
    }

    public List<String> detail() {
        return detail;
    }
}
