package org.taulab.kernel.jshell;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Javadoc of TauLab's own classes for inspection. JShell only reads the JDK's {@code src.zip}, so for classes
 * whose source ships inside their jar (the DSL's jar carries its {@code .java} files) the comment is parsed
 * from that source with the compiler's tree API, matching the signature JShell reports: a class
 * ({@code pkg.Type}), a field or a method with its parameter types ({@code R pkg.Type.name(T1 a, T2 b)}).
 */
final class SourceJavadoc {
    private static final Map<String, List<Entry>> BY_FILE = new ConcurrentHashMap<>();

    /** A documented declaration: its owner's qualified name, its name ("" for the class), parameter type names or null, the comment. */
    record Entry(String owner, String name, List<String> parameters, String comment) {
    }

    private SourceJavadoc() {
    }

    /** The javadoc of the declaration JShell describes with {@code signature}, or null. */
    static String lookup(String signature, ClassLoader loader) {
        String s = signature.strip();
        int paren = s.indexOf('(');
        String head = paren < 0 ? s : s.substring(0, paren);
        String[] words = head.split("\\s+");
        String qualified = words[words.length - 1];
        List<String> params = paren < 0 ? null : parameterTypes(s.substring(paren + 1, s.lastIndexOf(')')));
        // Try "owner.member" first (a method or field), then the whole name as a class.
        int dot = qualified.lastIndexOf('.');
        if (dot > 0) {
            String found = find(qualified.substring(0, dot), qualified.substring(dot + 1), params, loader);
            if (found != null) {
                return found;
            }
        }
        return paren < 0 ? find(qualified, "", null, loader) : null;
    }

    private static String find(String owner, String member, List<String> params, ClassLoader loader) {
        for (Entry e : entries(owner, loader)) {
            if (e.owner().equals(owner) && e.name().equals(member) && (params == null || params.equals(e.parameters()))) {
                return e.comment();
            }
        }
        return null;
    }

    /** The documented declarations of the source file that holds {@code owner} (outer classes are tried for nested ones). */
    private static List<Entry> entries(String owner, ClassLoader loader) {
        String candidate = owner;
        while (true) {
            String path = candidate.replace('.', '/') + ".java";
            List<Entry> e = BY_FILE.computeIfAbsent(path, p -> parse(p, loader));
            if (!e.isEmpty() || candidate.lastIndexOf('.') < 0) {
                return e;
            }
            candidate = candidate.substring(0, candidate.lastIndexOf('.'));
        }
    }

    private static List<Entry> parse(String path, ClassLoader loader) {
        String source;
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                return List.of();
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return List.of();
        }
        SimpleJavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + path), javax.tools.JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
        DocTrees docs = DocTrees.instance(task);
        List<Entry> out = new ArrayList<>();
        try {
            for (CompilationUnitTree unit : task.parse()) {
                String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
                new TreePathScanner<Void, String>() {
                    @Override
                    public Void visitClass(ClassTree c, String outer) {
                        String name = (outer.isEmpty() ? "" : outer + ".") + c.getSimpleName();
                        add(name, "", null, getCurrentPath());
                        return super.visitClass(c, name);
                    }

                    @Override
                    public Void visitMethod(MethodTree m, String owner) {
                        List<String> types = new ArrayList<>();
                        m.getParameters().forEach(p -> types.add(typeName(p.getType().toString())));
                        String name = m.getName().contentEquals("<init>") ? simple(owner) : m.getName().toString();
                        add(owner, name, types, getCurrentPath());
                        return null;
                    }

                    @Override
                    public Void visitVariable(VariableTree v, String owner) {
                        add(owner, v.getName().toString(), null, getCurrentPath());
                        return null;
                    }

                    private void add(String owner, String name, List<String> params, TreePath where) {
                        String comment = docs.getDocComment(where);
                        if (comment != null && !comment.isBlank()) {
                            out.add(new Entry(pkg.isEmpty() ? owner : pkg + "." + owner, name, params, comment.strip()));
                        }
                    }
                }.scan(unit, "");
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    private static String simple(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    /** Parameter types of a JShell signature's parameter list ("pkg.A a, java.util.List<pkg.B> b, double... c"), as simple names. */
    static List<String> parameterTypes(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char ch : list.toCharArray()) {
            depth += ch == '<' ? 1 : ch == '>' ? -1 : 0;
            if (ch == ',' && depth == 0) {
                out.add(typeOfParameter(current.toString()));
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(typeOfParameter(current.toString()));
        }
        return out;
    }

    private static String typeOfParameter(String parameter) {
        String p = parameter.strip();
        int space = p.lastIndexOf(' ');
        return typeName(space < 0 ? p : p.substring(0, space));
    }

    /** A type's erased simple name: {@code java.util.List<pkg.B>} → {@code List}, {@code double...} → {@code double[]}. */
    static String typeName(String type) {
        String t = type.replaceAll("<.*>", "").replace("...", "[]").strip();
        int dot = t.lastIndexOf('.', t.endsWith("[]") ? t.length() - 3 : t.length());
        return dot < 0 ? t : t.substring(dot + 1);
    }
}
