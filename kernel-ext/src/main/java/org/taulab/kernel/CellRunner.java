package org.taulab.kernel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.taulab.dsl.Progress;
import org.taulab.dsl.TauLabException;
import org.taulab.kernel.jshell.CellError;
import org.taulab.kernel.jshell.JavaSession;
import org.taulab.kernel.magic.Magics;

/**
 * Runs a cell: a cell magic when the first line is {@code %%name args}; otherwise Java, in which lines
 * of the form {@code %name args} run line magics in order. The cell's value is the last part's value.
 */
final class CellRunner {
    private static final Pattern CELL_MAGIC = Pattern.compile("\\A\\s*%%(\\w+)([^\\n]*)\\n?(.*)\\z", Pattern.DOTALL);
    static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%(\\w+)(.*)$");

    private final JavaSession session;
    private final Magics magics;

    CellRunner(JavaSession session, Magics magics) {
        this.session = session;
        this.magics = magics;
    }

    Object run(String cell) {
        // Long DSL work in this cell that is not handed a progress reports to a bar in this cell.
        Progress.setSession(BaseKernel.notebookKernel() == null ? Progress.NONE : Notebook.progress());
        Matcher cellMagic = CELL_MAGIC.matcher(cell);
        if (cellMagic.matches()) {
            return magic(() -> magics.runCell(cellMagic.group(1), cellMagic.group(2).strip(), cellMagic.group(3)));
        }
        String[] lines = cell.split("\n", -1);
        StringBuilder java = new StringBuilder();
        boolean javaPending = false;
        Object value = JavaSession.NO_VALUE;
        for (String line : lines) {
            Matcher m = LINE_MAGIC.matcher(line);
            if (m.matches() && !line.strip().startsWith("%%")) {
                if (javaPending) {
                    value = session.eval(java.toString());
                    javaPending = false;
                }
                blankOut(java);
                value = magic(() -> magics.runLine(m.group(1), m.group(2).strip()));
                java.append('\n');
            } else {
                java.append(line).append('\n');
                javaPending |= !line.isBlank();
            }
        }
        if (javaPending) {
            value = session.eval(java.toString());
        }
        return value;
    }

    /** Keeps the line count of what ran already, so later compile errors report lines of the cell. */
    private static void blankOut(StringBuilder java) {
        int lineCount = (int) java.chars().filter(c -> c == '\n').count();
        java.setLength(0);
        java.append("\n".repeat(lineCount));
    }

    private interface MagicCall {
        Object run() throws Exception;
    }

    private static Object magic(MagicCall call) {
        try {
            return call.run();
        } catch (CellError | TauLabException e) {
            throw e;
        } catch (RuntimeException e) {
            throw CellError.thrown(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CellError.interrupted();
        } catch (Exception e) {
            throw CellError.thrown(e);
        }
    }
}
