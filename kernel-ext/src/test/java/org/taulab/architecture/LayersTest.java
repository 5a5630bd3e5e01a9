package org.taulab.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The one direction of dependencies (docs/architecture.md), checked on the compiled classes of every module with
 * the JDK's jdeps: each package may use only packages listed before it in {@link #LAYERS}, so no package imports
 * one above it and there are no cycles. A new package must be placed in the list.
 */
class LayersTest {
    /** Bottom first. */
    static final List<String> LAYERS = List.of(
            "dsl", "dsl.io", "dsl.linalg", "dsl.data.manifest", "dsl.data", "dsl.tensor", "dsl.lora", "dsl.train", "dsl.model",
            "dsl.synthetic", "dsl.zoo", "dsl.merge", "dsl.merge.config", "dsl.eval", "dsl.analysis", "dsl.learn", "",
            "repro", "repro.cart", "repro.dvbasi", "repro.catalogue",
            "kernel.jshell", "kernel.progress", "kernel.connection", "kernel.install", "kernel.render", "kernel.tau",
            "kernel.magic", "kernel", "cli");

    static Map<String, TreeSet<String>> edges() {
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-filter:none", "-e", "org\\.taulab.*"));
        for (String dir : List.of("../dsl/target/classes", "../repro/target/classes", "target/classes")) {
            assertTrue(Files.isDirectory(Path.of(dir)), dir + " is not built");
            args.add(dir);
        }
        StringWriter out = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        assertEquals(0, rc, out.toString());
        Map<String, TreeSet<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("org.taulab") && f[2].startsWith("org.taulab") && !f[0].equals(f[2])) {
                edges.computeIfAbsent(name(f[0]), k -> new TreeSet<>()).add(name(f[2]));
            }
        }
        return edges;
    }

    private static String name(String pkg) {
        return pkg.equals("org.taulab") ? "" : pkg.substring("org.taulab.".length());
    }

    @Test
    void everyPackageUsesOnlyPackagesBelowIt() {
        Map<String, TreeSet<String>> edges = edges();
        assertTrue(edges.size() > 20, "jdeps found too few packages: " + edges.keySet());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> e : edges.entrySet()) {
            int from = LAYERS.indexOf(e.getKey());
            if (from < 0) {
                wrong.add("org.taulab." + e.getKey() + " is not placed in LayersTest.LAYERS");
                continue;
            }
            for (String to : e.getValue()) {
                int at = LAYERS.indexOf(to);
                if (at < 0 || at >= from) {
                    wrong.add(e.getKey() + " -> " + to);
                }
            }
        }
        assertEquals(List.of(), wrong, "dependencies that go up or sideways (or cycles)");
    }

    @Test
    void theCheckSeesAnUpwardDependency() {
        // the library's facade uses the merges (down): the check must see that edge, or it proves nothing
        assertTrue(edges().getOrDefault("", new TreeSet<>()).contains("dsl.merge"));
        assertTrue(LAYERS.indexOf("") > LAYERS.indexOf("dsl.merge"));
    }
}
