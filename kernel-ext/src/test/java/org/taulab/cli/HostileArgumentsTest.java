package org.taulab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;
import picocli.CommandLine;

/**
 * Arguments a hostile or careless user gives are refused before any tensor is read: exit code 2, one line naming
 * the option and the value, the inputs unchanged and nothing written.
 */
class HostileArgumentsTest {
    @TempDir
    Path dir;

    private Path model(String name, float... values) {
        Path p = dir.resolve(name);
        new Weights(Map.of("blocks.0.attn.w", TensorEntry.floating("blocks.0.attn.w", DType.F32, new long[] {2, 2},
                m -> m.create(values.clone(), new Shape(2, 2)))), Map.of(), name).save(p);
        return p;
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private void refused(String expected, String... args) throws Exception {
        List<String> before = files();
        Map<String, byte[]> bytes = new java.util.HashMap<>();
        for (String f : before) {
            if (Files.isRegularFile(dir.resolve(f))) {
                bytes.put(f, Files.readAllBytes(dir.resolve(f)));
            }
        }
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("taulab: ") && first.contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(before, files(), "nothing was written");
        for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey() + " unchanged");
        }
    }

    @Test
    void nonFiniteAndOverflowingNumbersAreRefusedWithTheOption() throws Exception {
        String pre = model("pre.safetensors", 1, 0, 0, 1).toString();
        String ft = model("ft.safetensors", 2, 0, 0, 1).toString();
        String out = dir.resolve("out.safetensors").toString();
        for (String bad : List.of("NaN", "Infinity", "-Infinity", "1e400")) {
            refused("--lambda " + bad + ": must be a finite number", "merge", "task-arithmetic", "--lambda", bad, "--base", pre, "--out", out, ft);
            refused("--tall-lambda " + bad + ": must be a finite number", "merge", "consensus", "--tall-lambda", bad, "--base", pre, "--out", out, ft, ft);
        }
        refused("--tall-lambda -1: must be ≥ 0", "merge", "consensus", "--tall-lambda", "-1", "--base", pre, "--out", out, ft, ft);
        refused("--topk 1.5: must be in [0, 1]", "merge", "ties", "--topk", "1.5", "--base", pre, "--out", out, ft);
        refused("--ties-scope banana: must be global or tensor", "merge", "ties", "--ties-scope", "banana", "--base", pre, "--out", out, ft);
        refused("--min-agree 1.5: must be a whole number", "merge", "consensus", "--min-agree", "1.5", "--base", pre, "--out", out, ft, ft);
        refused("--select ([: is not a valid regex", "merge", "cart", "--select", "([", "--out", out, ft, ft);
        refused("--drop 1: must be below 1", "merge", "dare", "--drop", "1", "--base", pre, "--out", out, ft, ft);
        refused("--drop -0.5: must be in [0, 1]", "merge", "dare-ties", "--drop", "-0.5", "--base", pre, "--out", out, ft, ft);
        refused("--t 1.5: must be in [0, 1]", "merge", "slerp", "--t", "1.5", "--out", out, ft, ft);
        refused("slerp merges exactly 2 models, got 3", "merge", "slerp", "--out", out, ft, ft, pre);
        refused("--density 0: must be above 0", "merge", "breadcrumbs", "--density", "0", "--base", pre, "--out", out, ft, ft);
        refused("--density -1: must be in [0, 1]", "merge", "breadcrumbs", "--density", "-1", "--base", pre, "--out", out, ft, ft);
        refused("--task banana: names no input (tasks: ft, ft)", "merge", "emr", "--task", "banana", "--base", pre, "--out", out, ft, ft);
        refused("--task: is needed: emr writes one task's model", "merge", "emr", "--base", pre, "--out", out, ft, ft);
        refused("--task pre: names no input (tasks: ft)", "merge", "cart-indexing", "--task", "pre", "--out", out, ft);
    }

    @Test
    void outputsThatAreNotRegularFilesAreRefusedFirst() throws Exception {
        String pre = model("pre.safetensors", 1, 0, 0, 1).toString();
        String ft = model("ft.safetensors", 2, 0, 0, 1).toString();
        refused("--out output path is empty", "merge", "task-arithmetic", "--base", pre, "--out", "", ft);
        refused("--out /dev/null: exists and is not a regular file", "merge", "task-arithmetic", "--base", pre, "--out", "/dev/null", ft);
        Path folder = Files.createDirectory(dir.resolve("folder"));
        refused("is a directory", "merge", "average", "--out", folder.toString(), ft, ft);
        refused("does not exist", "merge", "average", "--out", dir.resolve("no/such/out.safetensors").toString(), ft, ft);
    }

    @Test
    void learnChecksItsNumbersBeforeLoadingAnything() throws Exception {
        String out = dir.resolve("learned.safetensors").toString();
        refused("--lr -1.0 must be > 0", "learn", "dvbasi", "--lr", "-1", "--quick", "--out", out);
        refused("--iterations 0 must be >= 1", "learn", "dvbasi", "--iterations", "0", "--quick", "--out", out);
        refused("--alpha -1.0 must be > 0", "learn", "dvbasi", "--alpha", "-1", "--quick", "--out", out);
        refused("--rank 2.0 must be in (0, 1]", "learn", "adamerging-cart", "--rank", "2", "--quick", "--out", out);
        refused("--weight-decay -0.5 must be >= 0", "learn", "atlas", "--weight-decay", "-0.5", "--quick", "--out", out);
        refused("'--lr': 'NaN' is not a finite number", "learn", "atlas", "--lr", "NaN", "--quick", "--out", out);
        refused("--batch 0 must be >= 1", "learn", "atlas", "--batch", "0", "--quick", "--out", out);
    }

    @Test
    void oddTensorNamesAndControlCharactersPrintSafely() throws Exception {
        Path p = dir.resolve("odd.safetensors");
        Map<String, TensorEntry> entries = new java.util.LinkedHashMap<>();
        for (String name : List.of("", "evil\u001b[31m\u0007name")) {
            entries.put(name, TensorEntry.floating(name, DType.F32, new long[] {1}, m -> m.create(new float[] {3}, new Shape(1))));
        }
        new Weights(entries, Map.of("note", "bell\u0007"), "odd").save(p);
        CliRun r = CliRun.of("inspect", "--metadata", p.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("\u001b") || r.out().contains("\u0007"), "raw control characters reached the terminal: " + r.out());
        assertTrue(r.out().contains("# note: bell\\x07"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("\"\"  ") && l.endsWith("3.00000")), r.out());
        assertTrue(r.out().contains("evil\\x1b[31m\\x07name"), r.out());
    }

    @Test
    void aFloat16OutputThatWouldOverflowIsRefusedAndNothingIsWritten() throws Exception {
        String a = model("a.safetensors", 70000, 0, 0, 1).toString();
        String b = model("b.safetensors", 70000, 0, 0, 1).toString();
        Path out = dir.resolve("half.safetensors");
        CliRun r = CliRun.of("merge", "average", "--dtype", "f16", "--out", out.toString(), a, b);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("tensor 'blocks.0.attn.w' has values up to 70000.0, beyond float16's largest 65504"), r.err());
        assertEquals(List.of("a.safetensors", "b.safetensors"), files());
        assertEquals(0, CliRun.of("merge", "average", "--dtype", "bf16", "--out", out.toString(), a, b).code(), "bf16 holds it");
    }

    /** Every command and subcommand answers --help with its usage and exit code 0. */
    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(TauLabCli.commandLine(""), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 12, "walked " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.code(), path + " --help: " + r.err());
            assertTrue(r.out().startsWith("Usage: taulab"), path + " --help printed: " + r.out());
        }
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
        if (!path.isEmpty()) {
            out.add(List.copyOf(path));
        }
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && !path.contains(name)) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, out);
            }
        });
    }
}
