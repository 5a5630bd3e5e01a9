package org.taulab.kernel.jshell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;

/**
 * One JShell session running in the kernel's JVM: evaluates Java source snippet by snippet and returns
 * the last expression's value as an object, reports compile errors with line and column, and answers
 * completion, inspection and completeness questions from JShell's source analysis.
 */
public final class JavaSession implements AutoCloseable {
    /** Returned by {@link #eval} when the code ends in a declaration or statement (nothing to show). */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "(no value)";
        }
    };

    private final CellExecutionControl control = new CellExecutionControl();
    private final CompiledSnippets compiled = new CompiledSnippets();
    private final JShell shell;
    private final SourceCodeAnalysis analysis;

    public JavaSession(String classpath, PrintStream out, PrintStream err) {
        shell = JShell.builder()
                .executionEngine(new CellExecutionProvider(control), Map.of())
                .compilerOptions("--source-path", noSources(), "-proc:none")
                .out(out)
                .err(err)
                .build();
        // Through JShell rather than a --class-path compiler option: that option fixed the compiler's class path,
        // so that jars added later (%classpath) reached the class loader but not the compiler.
        shell.addToClasspath(classpath);
        analysis = shell.sourceCodeAnalysis();
    }

    /**
     * An empty source path. Without one javac also looks for sources on the class path, and TauLab's jars carry their
     * sources (for inspection): where a class and its source have the same time stamp javac compiles the source, and
     * a type compiled that way is not visible to the snippets ("cannot find symbol").
     */
    private static String noSources() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("taulab-no-sources");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot make an empty source path", e);
        }
    }

    public JShell shell() {
        return shell;
    }

    public CellExecutionControl control() {
        return control;
    }

    /**
     * Evaluates {@code code} (any number of snippets) and returns the value of the last one if it is an
     * expression that is not an assignment, else {@link #NO_VALUE}. Compile errors, exceptions and
     * interrupts are thrown as {@link CellError}s.
     */
    /** Snippet id → the line of the current cell where that snippet starts (this cell's snippets only). */
    private final java.util.Map<String, Integer> cellLines = new java.util.HashMap<>();

    public Object eval(String code) {
        cellLines.clear();
        Object value = NO_VALUE;
        String remaining = code;
        int offset = 0;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case EMPTY:
                    return value;
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    break;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    throw CellError.compile("incomplete code: " + firstLine(remaining.strip()) + " (missing ';', ')' or '}'?)",
                            List.of());
                default:
                    throw CellError.compile("cannot parse: " + firstLine(remaining.strip()), List.of());
            }
            // JShell numbers a snippet's lines (in stack frames) from its first non-blank character.
            String source = info.source().stripLeading();
            int consumed = remaining.length() - info.remaining().length();
            value = evalSnippet(source, code, offset + Math.max(0, remaining.indexOf(source)));
            offset += consumed;
            remaining = info.remaining();
        }
        return value;
    }

    private Object evalSnippet(String source, String cell, int offsetInCell) {
        CompiledSnippets.Entry reusable = compiled.find(source);
        if (reusable != null) {
            return rerun(reusable);
        }
        control.reset();
        List<SnippetEvent> events = shell.eval(source);
        if (control.wasStopped()) {
            throw CellError.interrupted();
        }
        compiled.afterEval(source, events, control.lastClassName());
        Object value = NO_VALUE;
        int firstLine = SourcePosition.of(cell, Math.min(cell.length(), offsetInCell)).line();
        for (SnippetEvent event : events) {
            if (event.causeSnippet() == null) {
                cellLines.put(event.snippet().id(), firstLine);
            }
        }
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                throw compileError(snippet, cell, offsetInCell);
            }
            if (event.status() == Snippet.Status.RECOVERABLE_DEFINED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                List<String> missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) snippet).collect(Collectors.toList());
                if (event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                    throw CellError.compile("cannot find symbol: " + String.join(", ", missing), List.of());
                }
            }
            if (event.exception() != null) {
                throw runtimeError(event.exception(), cell);
            }
            if (event.status() == Snippet.Status.VALID && hasValue(snippet)) {
                value = control.lastValue();
            }
        }
        return value;
    }

    /** Runs an unchanged statement again from its compiled class, as JShell would after recompiling it. */
    private Object rerun(CompiledSnippets.Entry entry) {
        control.reset();
        try {
            control.invoke(entry.className(), "do_it$");
        } catch (ExecutionControl.StoppedException e) {
            throw CellError.interrupted();
        } catch (ExecutionControl.ExecutionControlException e) {
            if (control.wasStopped()) {
                throw CellError.interrupted();
            }
            Throwable thrown = control.lastThrown();
            throw CellError.thrown(thrown != null ? thrown : e);
        }
        return entry.hasValue() ? control.lastValue() : NO_VALUE;
    }

    /** Expressions show their value; declarations, assignments and void calls do not. */
    static boolean hasValue(Snippet snippet) {
        if (snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
            return true;
        }
        return snippet instanceof ExpressionSnippet expression && snippet.subKind() != Snippet.SubKind.ASSIGNMENT_SUBKIND
                && !"void".equals(expression.typeName());
    }

    private CellError runtimeError(JShellException e, String cell) {
        if (e instanceof UnresolvedReferenceException unresolved) {
            List<String> missing = shell.unresolvedDependencies(unresolved.getSnippet()).collect(Collectors.toList());
            return CellError.compile("'" + unresolved.getSnippet().source().strip() + "' uses undefined " + String.join(", ", missing), List.of());
        }
        Throwable thrown = control.lastThrown();
        List<String> where = where(e, cell);
        if (thrown != null) {
            return CellError.thrown(thrown, where);
        }
        String type = e instanceof EvalException eval ? eval.getExceptionClassName() : e.getClass().getName();
        return CellError.thrown(new RuntimeException(type + ": " + e.getMessage()), where);
    }

    /**
     * Where the innermost exception was thrown in the user's code, innermost frame first, from JShell's frames (file
     * {@code #id}, the line within snippet id): a line of this cell with its source, or a line of an earlier cell's
     * declaration.
     */
    private List<String> where(JShellException e, String cell) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String[] lines = cell.split("\n", -1);
        List<String> out = new ArrayList<>();
        for (StackTraceElement frame : root.getStackTrace()) {
            String file = frame.getFileName();
            if (file == null || !file.startsWith("#")) {
                continue;
            }
            String method = frame.getMethodName() == null || frame.getMethodName().isEmpty() ? "" : " in " + frame.getMethodName() + "()";
            Integer start = cellLines.get(file.substring(1));
            if (start != null && frame.getLineNumber() > 0) {
                int line = start + frame.getLineNumber() - 1;
                String text = line <= lines.length ? lines[line - 1].strip() : "";
                out.add("line " + line + method + ": " + text);
            } else {
                out.add((method.isEmpty() ? "in an earlier cell's code" : method.substring(1) + ", declared in an earlier cell")
                        + (frame.getLineNumber() > 0 ? " (its line " + frame.getLineNumber() + ")" : ""));
            }
        }
        return out;
    }

    private CellError compileError(Snippet snippet, String cell, int offsetInCell) {
        List<Diag> diags = shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
        if (diags.isEmpty()) {
            return CellError.compile("cannot compile: " + firstLine(snippet.source().strip()), List.of());
        }
        Diag d = diags.get(0);
        String message = d.getMessage(null).lines().findFirst().orElse("compile error");
        List<String> detail = new ArrayList<>(d.getMessage(null).lines().skip(1).map(String::strip).toList());
        long position = d.getPosition() == Diag.NOPOS ? 0 : d.getPosition();
        int at = (int) Math.min(cell.length(), offsetInCell + position);
        SourcePosition p = SourcePosition.of(cell, at);
        detail.add(p.sourceLine());
        detail.add(p.caret());
        return CellError.compile("line " + p.line() + ", column " + p.column() + ": " + message, detail);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }

    /** The session's variables, in declaration order: name, type and JShell's string of the value. */
    public List<String[]> variables() {
        return shell.variables().filter(v -> shell.status(v).isActive())
                .map(v -> new String[] {v.name(), v.typeName(), shell.varValue(v)})
                .collect(Collectors.toList());
    }

    /** Whether {@code name} is a variable of this session. */
    public boolean hasVariable(String name) {
        return shell.variables().anyMatch(v -> v.name().equals(name) && shell.status(v).isActive());
    }

    /** The declared type of variable {@code name}, or null. */
    public String variableType(String name) {
        return shell.variables().filter(v -> v.name().equals(name) && shell.status(v).isActive())
                .map(VarSnippet::typeName).reduce((a, b) -> b).orElse(null);
    }

    public SourceCodeAnalysis analysis() {
        return analysis;
    }

    /** Adds a jar or folder to the class path of the code and of the compiler. */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
        compiled.invalidate();
    }

    /** Stops the running snippet, if any. */
    public void stop() {
        control.stop();
    }

    @Override
    public void close() {
        shell.close();
    }
}
