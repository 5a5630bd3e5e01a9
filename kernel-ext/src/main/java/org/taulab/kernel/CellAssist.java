package org.taulab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.taulab.kernel.jshell.JavaSession;
import org.taulab.kernel.jshell.SourceAssist;
import org.taulab.kernel.magic.Magics;
import org.taulab.kernel.tau.TauCompleteness;
import org.taulab.kernel.tau.TauFunction;
import org.taulab.kernel.tau.TauFunctions;

/**
 * Completion, inspection and completeness of cells: magic names after {@code %} or {@code %%}, DSL
 * functions and variables in {@code %%tau} cells, and JShell's analysis for Java (with the magic lines
 * blanked out first, so positions stay those of the cell).
 */
final class CellAssist {
    private static final Pattern MAGIC_PREFIX = Pattern.compile("(?m)^\\s*(%%?)(\\w*)$");
    private static final Pattern TAU_CELL = Pattern.compile("\\A\\s*%%tau\\b[^\\n]*\\n");
    private static final Pattern TAU_LINE = Pattern.compile("^\\s*%tau\\s");

    private final Supplier<JavaSession> session;
    private final Magics magics;

    CellAssist(Supplier<JavaSession> session, Magics magics) {
        this.session = session;
        this.magics = magics;
    }

    ReplacementOptions complete(String code, int at) {
        String before = code.substring(0, at);
        String line = before.substring(before.lastIndexOf('\n') + 1);
        Matcher m = MAGIC_PREFIX.matcher(line);
        if (m.matches()) {
            boolean cell = m.group(1).equals("%%");
            List<String> names = new ArrayList<>();
            for (String n : cell ? magics.cellNames() : magics.lineNames()) {
                if (n.startsWith(m.group(2))) {
                    names.add(n);
                }
            }
            return new ReplacementOptions(names, at - m.group(2).length(), at);
        }
        if (TAU_CELL.matcher(code).lookingAt() || TAU_LINE.matcher(line).lookingAt()) {
            return completeTau(before, at);
        }
        int[] start = new int[1];
        List<String> matches = new SourceAssist(session.get().analysis()).complete(blankMagics(code), at, start);
        return new ReplacementOptions(matches, start[0], at);
    }

    private ReplacementOptions completeTau(String before, int at) {
        int start = at;
        while (start > 0 && Character.isJavaIdentifierPart(before.charAt(start - 1))) {
            start--;
        }
        String prefix = before.substring(start);
        List<String> names = new ArrayList<>();
        TauFunctions.names().stream().filter(n -> n.startsWith(prefix)).forEach(names::add);
        session.get().variables().stream().map(v -> v[0]).filter(n -> n.startsWith(prefix) && !n.startsWith("$")).forEach(names::add);
        return new ReplacementOptions(names, start, at);
    }

    DisplayData inspect(String code, int at, boolean detail) {
        if (TAU_CELL.matcher(code).lookingAt()) {
            String word = wordAt(code, at);
            TauFunction f = TauFunctions.find(word);
            if (f != null) {
                return new DisplayData(f.signature() + "\n\n" + f.doc());
            }
            String type = session.get().variableType(word);
            return type == null ? null : new DisplayData(word + ": " + type);
        }
        String doc = new SourceAssist(session.get().analysis()).inspect(blankMagics(code), at, detail);
        return doc == null ? null : new DisplayData(doc);
    }

    String isComplete(String code) {
        if (TAU_CELL.matcher(code).lookingAt()) {
            return switch (TauCompleteness.of(code.substring(code.indexOf('\n') + 1))) {
                case COMPLETE -> BaseKernel.IS_COMPLETE_YES;
                case INCOMPLETE -> "";
                case INVALID -> BaseKernel.IS_COMPLETE_BAD;
            };
        }
        if (code.strip().startsWith("%%")) {
            return BaseKernel.IS_COMPLETE_YES;
        }
        return switch (new SourceAssist(session.get().analysis()).completeness(blankMagics(code))) {
            case COMPLETE -> BaseKernel.IS_COMPLETE_YES;
            case INCOMPLETE -> "";
            case INVALID -> BaseKernel.IS_COMPLETE_BAD;
        };
    }

    /** The cell with each line-magic line replaced by spaces (same length, so offsets still match). */
    static String blankMagics(String code) {
        String[] lines = code.split("\n", -1);
        StringBuilder b = new StringBuilder(code.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                b.append('\n');
            }
            b.append(CellRunner.LINE_MAGIC.matcher(lines[i]).matches() ? " ".repeat(lines[i].length()) : lines[i]);
        }
        return b.toString();
    }

    private static String wordAt(String code, int at) {
        int start = Math.min(at, code.length());
        int end = start;
        while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) {
            start--;
        }
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        return code.substring(start, end);
    }
}
