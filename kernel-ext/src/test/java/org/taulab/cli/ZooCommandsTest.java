package org.taulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.tensor.Weights;

/** End to end through the command line: build a quick zoo, verify it, locate it, evaluate with it. */
class ZooCommandsTest {
    @TempDir
    static Path dir;

    static Path zoo;

    @BeforeAll
    static void buildQuickZoo() {
        zoo = dir.resolve("quickzoo");
        try {
            Files.createDirectories(zoo);
            Files.writeString(zoo.resolve("notes.txt"), "a file of the user's in the zoo folder");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliRun r = CliRun.of("zoo", "build", "--quick", "--zoo", "quickzoo", "--dir", zoo.toString());
        assertEquals(0, r.code(), r.err());
        try {
            assertEquals("a file of the user's in the zoo folder", Files.readString(zoo.resolve("notes.txt")), "the rebuild keeps the user's file");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(r.out().contains("regime card: quickzoo on val beside CLIP ViT-B/32"), r.out());
        assertTrue(r.out().contains("the regime's criteria"), r.out());
    }

    @Test
    void layoutIsWhatOtherToolsRelyOn() throws Exception {
        assertEquals(zoo.toAbsolutePath().normalize().toString(), CliRun.of("zoo", "path", "--zoo", zoo.toString()).out().strip());
        Weights pre = Weights.load(zoo.resolve("pretrained.safetensors"));
        for (String task : List.of("fashion", "digits", "glyph-style")) {
            Weights ft = Weights.load(zoo.resolve("finetuned").resolve(task + ".safetensors"));
            assertEquals(pre.shapes().toString(), ft.shapes().toString());
            assertTrue(Files.exists(zoo.resolve("heads").resolve(task + ".safetensors")));
        }
        String manifest = Files.readString(zoo.resolve("zoo.yaml"));
        assertTrue(manifest.contains("individual_avg") && manifest.contains("measured_val:") && manifest.contains("cosine_max_abs"), manifest);
        try (var s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().contains(".building-")).count(),
                    "no temporary build directory is left behind");
        }
    }

    @Test
    void verifyPassesThenCatchesTampering() throws Exception {
        CliRun ok = CliRun.of("zoo", "verify", "--zoo", zoo.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("17 files verified"), ok.out());
        Path copy = dir.resolve("tampered");
        Files.createDirectories(copy.resolve("finetuned"));
        Files.createDirectories(copy.resolve("heads"));
        try (var files = Files.walk(zoo)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.copy(p, copy.resolve(zoo.relativize(p)));
            }
        }
        byte[] b = Files.readAllBytes(copy.resolve("finetuned/digits.safetensors"));
        b[b.length - 1] ^= 1;
        Files.write(copy.resolve("finetuned/digits.safetensors"), b);
        CliRun bad = CliRun.of("zoo", "verify", "--zoo", copy.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("digits.safetensors") && bad.err().contains("sha256"), bad.err());
    }

    @Test
    void evalCsvHasOneRowPerTaskAndTheirAverage() {
        CliRun r = CliRun.of("eval", "--zoo", zoo.toString(), "--weights", "pretrained", "--split", "val", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals("task,accuracy,normalized", lines.get(0));
        assertEquals(10, lines.size(), r.out());
        CliRun individual = CliRun.of("eval", "--zoo", zoo.toString(), "--weights", "finetuned", "--split", "val", "--format", "csv");
        List<String> own = individual.out().strip().lines().toList();
        double sum = 0;
        double sumNorm = 0;
        for (int i = 1; i <= 8; i++) {
            String[] f = lines.get(i).split(",");
            assertTrue(f[1].matches("\\d+\\.\\d\\d") && f[2].matches("\\d+\\.\\d\\d"), "two decimals: " + lines.get(i));
            double acc = Double.parseDouble(f[1]);
            assertTrue(acc >= 0 && acc <= 100, lines.get(i));
            double ownAcc = Double.parseDouble(own.get(i).split(",")[1]);
            double norm = Double.parseDouble(f[2]);
            double roundingBound = norm * (0.005 / acc + 0.005 / ownAcc) + 0.005;   // both printed to two decimals
            assertEquals(100 * acc / ownAcc, norm, roundingBound, "normalized = accuracy / the task's own model's: " + lines.get(i));
            assertEquals("100.00", own.get(i).split(",")[2], "each fine-tuned model is its own reference");
            sum += acc;
            sumNorm += Double.parseDouble(f[2]);
        }
        assertTrue(lines.get(9).startsWith("average,"));
        assertEquals(sum / 8, Double.parseDouble(lines.get(9).split(",")[1]), 0.01);
        assertEquals(sumNorm / 8, Double.parseDouble(lines.get(9).split(",")[2]), 0.01);
        CliRun table = CliRun.of("eval", "--zoo", zoo.toString(), "--weights", "pretrained", "--split", "val");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains(lines.get(9).split(",")[1]) && !java.util.regex.Pattern.compile("\\d\\.\\d{3,}").matcher(table.out()).find(),
                "the table shows the same percentages to two decimals: " + table.out());
    }

    @Test
    void evalOfAFileEqualsEvalOfTheSameWeightsByName() {
        String file = zoo.resolve("pretrained.safetensors").toString();
        CliRun byFile = CliRun.of("eval", "--zoo", zoo.toString(), "--weights", file, "--format", "csv");
        CliRun byName = CliRun.of("eval", "--zoo", zoo.toString(), "--weights", "pretrained", "--format", "csv");
        assertEquals(0, byFile.code(), byFile.err());
        assertEquals(byName.out(), byFile.out());
        CliRun individual = CliRun.of("eval", "--zoo", zoo.toString(), "--weights", "finetuned", "--format", "csv");
        assertEquals(0, individual.code(), individual.err());
        assertEquals(2, CliRun.of("eval", "--zoo", zoo.toString(), "--weights", "pretrained", "--split", "train").code());
        assertEquals(1, CliRun.of("eval", "--zoo", dir.resolve("nozoo").toString(), "--weights", "pretrained").code());
    }

    @Test
    void evalRefusesWeightsWithANaNNamingTheTensor() throws Exception {
        Weights pre = Weights.load(zoo.resolve("pretrained.safetensors"));
        String victim = pre.floatKeys().get(1);
        Path bad = dir.resolve("nan.safetensors");
        pre.map(org.taulab.dsl.tensor.Selector.byName(victim::equals, victim), x -> x.mul(Float.NaN)).save(bad);
        CliRun r = CliRun.of("eval", "--zoo", zoo.toString(), "--weights", bad.toString(), "--split", "val");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("tensor '" + victim + "'") && r.err().contains("contains NaN"), r.err());
    }
}
