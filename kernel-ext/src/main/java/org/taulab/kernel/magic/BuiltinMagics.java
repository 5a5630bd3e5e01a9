package org.taulab.kernel.magic;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.taulab.dsl.TauLabException;
import org.taulab.kernel.jshell.JavaSession;
import org.taulab.kernel.tau.TauProgram;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Registers the magics every TauLab kernel has. */
public final class BuiltinMagics {
    private static final int SHORT_VALUE = 60;

    private BuiltinMagics() {
    }

    public static void registerAll(MagicHost host) {
        Magics m = host.magics();
        TimeMagic time = new TimeMagic(host);
        m.line("lsmagic", "lists the magics", args -> text(m.describe()));
        m.line("time", "runs the rest of the line and prints its wall time", time);
        m.cell("time", "runs the cell and prints its wall time", time);
        m.line("classpath", "shows the class path, or adds jars/folders to it (dir/* adds every jar)", args -> classpath(host, args));
        m.line("maven", "adds Maven artifacts and their dependencies to the class path: %maven group:artifact:version [--repo URL]",
                new MavenMagic(host, Path.of(System.getProperty("user.home"), ".cache", "taulab", "maven")));
        m.line("load", "runs a .jshell/.java file or the code cells of a .ipynb notebook", new LoadMagic(host));
        m.line("vars", "a table of the session's variables: name, type, short value", args -> variables(host.session()));
        m.line("tau", "evaluates one line of the papers' notation, e.g. %tau 2 * (3 + 4)",
                args -> new TauProgram(host.session()).run(args, 1));
        m.cell("tau", "the papers' notation: theta = pre + 0.3 * (tau(ft1) + tau(ft2))",
                (args, body) -> new TauProgram(host.session()).run(body, 2));
        m.cell("html", "shows the cell as HTML", (args, body) -> {
            host.display(html(body));
            return JavaSession.NO_VALUE;
        });
        m.cell("bash", "runs the cell with bash", new BashMagic(host));
        m.line("zoo", "loads a model zoo (default " + org.taulab.dsl.zoo.Zoo.DEFAULT + ") into the session: zoo, pre, fts, ft, tasks", new ZooMagic(host));
        m.line("reproduce", "runs a named table or figure of the reproduction notebooks (%reproduce alone lists them)",
                new ReproduceMagic(host::display));
    }

    private static DisplayData text(String s) {
        return new DisplayData(s);
    }

    private static DisplayData html(String body) {
        DisplayData d = new DisplayData(body.replaceAll("<[^>]*>", "").strip());
        d.putHTML(body);
        return d;
    }

    private static Object classpath(MagicHost host, String args) throws Exception {
        if (args.isBlank()) {
            return text(String.join("\n", System.getProperty("java.class.path").split(File.pathSeparator)));
        }
        for (String entry : args.trim().split("\\s+|" + File.pathSeparator)) {
            for (String path : expand(entry)) {
                requireJarOrFolder(Path.of(path));
                host.session().addToClasspath(path);
            }
        }
        return JavaSession.NO_VALUE;
    }

    /** A class path entry is a folder or a jar (a zip archive: it starts with "PK\3\4"). */
    static void requireJarOrFolder(Path path) throws java.io.IOException {
        if (!Files.exists(path)) {
            throw new TauLabException("%classpath: no such file or folder " + path);
        }
        if (Files.isDirectory(path)) {
            return;
        }
        byte[] head = new byte[4];
        int n;
        try (java.io.InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
            throw new TauLabException("%classpath: " + path + " is neither a jar nor a folder");
        }
    }

    private static List<String> expand(String entry) throws Exception {
        if (!entry.endsWith("/*")) {
            return List.of(entry);
        }
        Path dir = Path.of(entry.substring(0, entry.length() - 2));
        List<String> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> jars.add(f.toString()));
        }
        return jars;
    }

    static Table variables(JavaSession session) {
        List<String[]> vars = session.variables();
        StringColumn names = StringColumn.create("name");
        StringColumn types = StringColumn.create("type");
        StringColumn values = StringColumn.create("value");
        for (String[] v : vars) {
            names.append(v[0]);
            types.append(v[1]);
            String value = v[2] == null ? "" : v[2].replace('\n', ' ');
            values.append(value.length() > SHORT_VALUE ? value.substring(0, SHORT_VALUE - 1) + "…" : value);
        }
        return Table.create("variables", names, types, values);
    }
}
