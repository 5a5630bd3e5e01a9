package org.taulab.kernel.jshell;

import com.sun.source.util.JavacTask;
import java.net.URI;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Whether a JShell snippet is syntactically valid Java. JShell's completeness analysis only finds where
 * a snippet ends ({@code int 1x = 3;} is "complete" to it), so this parses the snippet with javac as an
 * expression, a statement, a class member or an import, and accepts it if any of these parses.
 */
final class JavaSyntax {
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    private JavaSyntax() {
    }

    static boolean parses(String snippet) {
        String body = snippet.strip();
        String expression = body.endsWith(";") ? body.substring(0, body.length() - 1) : body;
        return parsesUnit("class $W { Object $v = (" + expression + "\n); }")
                || parsesUnit("class $W { void $m() throws Throwable {\n" + body + "\n;} }")
                || parsesUnit("class $W {\n" + body + "\n}")
                || parsesUnit(body + "\nclass $W { }");
    }

    private static boolean parsesUnit(String source) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///W.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) JAVAC.getTask(null, null, diagnostics, List.of("-proc:none"), null, List.of(file));
        try {
            task.parse();
        } catch (java.io.IOException e) {
            return false;
        }
        return diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
    }
}
