package org.taulab.kernel.tau;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;
import org.taulab.kernel.jshell.CellError;
import org.taulab.kernel.jshell.JavaSession;
import org.taulab.kernel.jshell.SourcePosition;

/**
 * Runs {@code %%tau} code in a Java session, statement by statement: each expression is translated to
 * Java and evaluated in JShell; {@code name = expr} then declares {@code name} as a Java variable of the
 * value's type, so later Java cells use it directly. Returns the value of a final bare expression.
 */
public final class TauProgram {
    private static final String RUNTIME = "org.taulab.kernel.tau.TauRuntime.";

    private final JavaSession session;

    public TauProgram(JavaSession session) {
        this.session = session;
    }

    /** Runs {@code source}, whose first line is line {@code firstLine} of the cell. */
    public Object run(String source, int firstLine) {
        List<Node.Statement> statements;
        try {
            statements = TauParser.parse(source, firstLine);
        } catch (TauError e) {
            throw located(e, source, firstLine);
        }
        Set<String> bound = new HashSet<>();
        TauTranslator translator = new TauTranslator(name -> bound.contains(name) || session.hasVariable(name));
        Object value = JavaSession.NO_VALUE;
        for (Node.Statement s : statements) {
            try {
                String java = translator.expression(s.value());
                session.eval(RUNTIME + "hold(" + java + ");");
                Object v = TauRuntime.take();
                if (s.target() == null) {
                    value = v;
                    continue;
                }
                if (!SourceVersion.isIdentifier(s.target()) || SourceVersion.isKeyword(s.target())) {
                    throw new TauError(s.line(), s.column(), "'" + s.target() + "' cannot be a Java variable name");
                }
                String type = TauRuntime.javaType(v);
                session.eval(type + " " + s.target() + " = (" + type + ") " + RUNTIME + "take();");
                bound.add(s.target());
                value = JavaSession.NO_VALUE;
            } catch (TauError e) {
                throw located(e, source, firstLine);
            } catch (CellError e) {
                TauError cause = tauCause(e);
                throw cause == null ? e : located(cause, source, firstLine);
            }
        }
        return value;
    }

    private static TauError tauCause(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof TauError t) {
                return t;
            }
        }
        return null;
    }

    /** The error with the offending source line and a caret under its column. */
    static CellError located(TauError e, String source, int firstLine) {
        String[] lines = source.split("\n", -1);
        int index = e.line() - firstLine;
        String text = index >= 0 && index < lines.length ? lines[index] : "";
        SourcePosition p = new SourcePosition(e.line(), e.column(), text);
        return new CellError("TauError", e.getMessage(), List.of(p.sourceLine(), p.caret()), e);
    }
}
