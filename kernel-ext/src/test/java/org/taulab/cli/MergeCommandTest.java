package org.taulab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

class MergeCommandTest {
    @TempDir
    Path dir;

    /** A checkpoint with one attention matrix, one bias, and an integer buffer that must pass through. */
    private Path checkpoint(String name, float[] attn, float[] bias, long step) throws Exception {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        entries.put("blocks.0.attn.w", TensorEntry.floating("blocks.0.attn.w", DType.F32, new long[] {2, 2},
                m -> m.create(attn.clone(), new Shape(2, 2))));
        entries.put("blocks.0.bias", TensorEntry.floating("blocks.0.bias", DType.F32, new long[] {2},
                m -> m.create(bias.clone(), new Shape(2))));
        ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, step);
        entries.put("num_batches", TensorEntry.passThrough("num_batches", DType.I64, new long[] {1}, raw::duplicate));
        Path p = dir.resolve(name);
        new Weights(entries, Map.of(), name).save(p);
        return p;
    }

    private static float[] read(Path p, String tensor) {
        return Weights.load(p).get(tensor).toFloatArray();
    }

    @Test
    void taskArithmeticEndToEnd() throws Exception {
        Path pre = checkpoint("pre.safetensors", new float[] {1, 0, 0, 1}, new float[] {0, 0}, 7);
        Path ft1 = checkpoint("ft1.safetensors", new float[] {2, 0, 0, 1}, new float[] {1, 0}, 9);
        Path ft2 = checkpoint("ft2.safetensors", new float[] {1, 3, 0, 1}, new float[] {0, -2}, 9);
        Path out = dir.resolve("ta.safetensors");
        CliRun r = CliRun.of("merge", "task-arithmetic", "--lambda", "0.5", "--base", pre.toString(), "--out", out.toString(),
                ft1.toString(), ft2.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(new float[] {1.5f, 1.5f, 0, 1}, read(out, "blocks.0.attn.w"), 1e-6f);
        assertArrayEquals(new float[] {0.5f, -1}, read(out, "blocks.0.bias"), 1e-6f);
        Weights merged = Weights.load(out);
        assertEquals(DType.I64, merged.dtype("num_batches"));
        assertEquals(7, merged.entries().get("num_batches").raw().get().order(ByteOrder.LITTLE_ENDIAN).getLong(0),
                "integer tensors come from the base untouched");
        assertEquals("task-arithmetic", merged.metadata().get("taulab.method"));
        assertTrue(merged.metadata().get("taulab.parameters").contains("\"lambda\":0.5"), merged.metadata().toString());
        assertEquals(sha256(pre), merged.metadata().get("taulab.base.sha256"));
        assertEquals(sha256(ft2), merged.metadata().get("taulab.input.2.sha256"));
        assertEquals("ft1.safetensors", merged.metadata().get("taulab.input.1"));
    }

    @Test
    void plainJavaTaskArithmeticAndAverageMatchTheTensorEngine() throws Exception {
        // The command line merges float32 files without the engine; the notebook API computes with it.
        org.taulab.dsl.zoo.Zoo zoo = org.taulab.dsl.zoo.Zoo.open("mini8");
        java.util.List<String> tasks = zoo.tasks().subList(0, 3);
        java.util.List<String> args = new java.util.ArrayList<>();
        tasks.forEach(t -> args.add(zoo.finetunedFile(t).toString()));
        Path ta = dir.resolve("ta.safetensors");
        Path avg = dir.resolve("avg.safetensors");
        java.util.List<String> taArgs = new java.util.ArrayList<>(java.util.List.of("merge", "task-arithmetic", "--lambda", "0.3",
                "--base", zoo.pretrainedFile().toString(), "--out", ta.toString()));
        taArgs.addAll(args);
        assertEquals(0, CliRun.of(taArgs.toArray(String[]::new)).code());
        java.util.List<String> avgArgs = new java.util.ArrayList<>(java.util.List.of("merge", "average", "--out", avg.toString()));
        avgArgs.addAll(args);
        assertEquals(0, CliRun.of(avgArgs.toArray(String[]::new)).code());
        java.util.List<Weights> fts = new java.util.ArrayList<>();
        tasks.forEach(t -> fts.add(zoo.finetuned(t)));
        Weights engineTa = org.taulab.Tau.merge("task-arithmetic", zoo.pretrained(), fts, Map.of("lambda", 0.3));
        Weights engineAvg = org.taulab.Tau.average(fts);
        for (String name : java.util.List.of("conv1.weight", "transformer.resblocks.2.mlp.c_fc.weight", "ln_post.bias", "proj")) {
            assertArrayEquals(engineTa.get(name).toFloatArray(), read(ta, name), 1e-6f, name);
            assertArrayEquals(engineAvg.get(name).toFloatArray(), read(avg, name), 1e-6f, name);
        }
    }

    @Test
    void cartNeedsNoBase() throws Exception {
        Path ft1 = checkpoint("ft1.safetensors", new float[] {5, 0, 0, 1}, new float[] {1, 2}, 1);
        Path ft2 = checkpoint("ft2.safetensors", new float[] {2, 0, 0, 0}, new float[] {3, 2}, 1);
        Path ft3 = checkpoint("ft3.safetensors", new float[] {2, 0, 0, 5}, new float[] {2, 5}, 1);
        Path out = dir.resolve("cart.safetensors");
        CliRun r = CliRun.of("merge", "cart", "--rank-ratio", "0.5", "--lambda", "0.5", "--out", out.toString(), ft1.toString(), ft2.toString(), ft3.toString());
        assertEquals(0, r.code(), r.err());
        // θ_avg = diag(3, 2); ν_t = diag(2, −1), diag(−1, −2), diag(−1, 3); rank 1 keeps 2, −2, 3: θ = diag(3 + 0.5·2, 2 + 0.5·(−2 + 3))
        assertArrayEquals(new float[] {4, 0, 0, 2.5f}, read(out, "blocks.0.attn.w"), 1e-5f);
        assertArrayEquals(new float[] {2, 3}, read(out, "blocks.0.bias"), 1e-6f);
        assertEquals(null, Weights.load(out).metadata().get("taulab.base"));
        assertEquals("ft3.safetensors", Weights.load(out).metadata().get("taulab.input.3"));
    }

    @Test
    void refusesToOverwriteAnInput() throws Exception {
        Path pre = checkpoint("pre.safetensors", new float[] {1, 0, 0, 1}, new float[] {0, 0}, 7);
        Path ft1 = checkpoint("ft1.safetensors", new float[] {2, 0, 0, 1}, new float[] {1, 0}, 9);
        byte[] before = Files.readAllBytes(ft1);
        CliRun r = CliRun.of("merge", "task-arithmetic", "--base", pre.toString(), "--out", ft1.toString(), ft1.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("input"), r.err());
        assertArrayEquals(before, Files.readAllBytes(ft1));
    }

    @Test
    void oneLambdaPerModelFromTheCommandLine() throws Exception {
        Path pre = checkpoint("pre.safetensors", new float[] {1, 0, 0, 1}, new float[] {0, 0}, 7);
        Path ft1 = checkpoint("ft1.safetensors", new float[] {2, 0, 0, 1}, new float[] {1, 0}, 9);   // τ1: w (1, 0, 0, 0), b (1, 0)
        Path ft2 = checkpoint("ft2.safetensors", new float[] {1, 3, 0, 1}, new float[] {0, -2}, 9);  // τ2: w (0, 3, 0, 0), b (0, -2)
        Path out = dir.resolve("ta.safetensors");
        CliRun r = CliRun.of("merge", "task-arithmetic", "--lambda", "0.5,0.1", "--base", pre.toString(), "--out", out.toString(),
                ft1.toString(), ft2.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(new float[] {1.5f, 0.3f, 0, 1}, read(out, "blocks.0.attn.w"), 1e-6f);
        assertArrayEquals(new float[] {0.5f, -0.2f}, read(out, "blocks.0.bias"), 1e-6f);
        assertTrue(Weights.load(out).metadata().get("taulab.parameters").contains("\"lambda\":\"0.5,0.1\""));
        Path bad = dir.resolve("bad.safetensors");
        CliRun three = CliRun.of("merge", "ties", "--lambda", "0.5,0.1,1", "--base", pre.toString(), "--out", bad.toString(),
                ft1.toString(), ft2.toString());
        assertEquals(2, three.code());
        assertEquals("taulab: --lambda 0.5,0.1,1: has 3 values for 2 fine-tuned models (one per model, in order)", three.err().strip());
        assertFalse(Files.exists(bad));
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Path ft1 = checkpoint("ft1.safetensors", new float[] {2, 0, 0, 1}, new float[] {1, 0}, 9);
        String out = dir.resolve("o.safetensors").toString();
        CliRun noBase = CliRun.of("merge", "task-arithmetic", "--out", out, ft1.toString());
        assertEquals(2, noBase.code());
        assertTrue(noBase.err().contains("--base"), noBase.err());
        assertEquals(2, CliRun.of("merge", "frobnicate", "--out", out, ft1.toString()).code());
        assertEquals(2, CliRun.of("merge", "cart", ft1.toString()).code(), "missing --out");
        assertEquals(2, CliRun.of("merge", "ties", "--topk", "1.5", "--base", ft1.toString(), "--out", out, ft1.toString()).code());
        assertEquals(2, CliRun.of("merge", "cart", "--rank-ratio", "abc", "--out", out, ft1.toString()).code());
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void dataErrorsExitOneWithOneLineNamingTheCulprit() throws Exception {
        Path good = checkpoint("good.safetensors", new float[] {2, 0, 0, 1}, new float[] {1, 0}, 9);
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        String out = dir.resolve("o.safetensors").toString();
        CliRun r = CliRun.of("merge", "average", "--out", out, good.toString(), bad.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("bad.safetensors"), r.err());

        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        entries.put("blocks.0.attn.w", TensorEntry.floating("blocks.0.attn.w", DType.F32, new long[] {1, 4},
                m -> m.create(new float[4], new Shape(1, 4))));
        entries.put("blocks.0.bias", TensorEntry.floating("blocks.0.bias", DType.F32, new long[] {2},
                m -> m.create(new float[2], new Shape(2))));
        Path other = dir.resolve("other.safetensors");
        new Weights(entries, Map.of(), "other").save(other);
        CliRun mismatch = CliRun.of("merge", "average", "--out", out, good.toString(), other.toString());
        assertEquals(1, mismatch.code());
        assertTrue(mismatch.err().contains("'blocks.0.attn.w'") && mismatch.err().contains("[2, 2]") && mismatch.err().contains("[1, 4]"),
                mismatch.err());
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void eachMethodsHelpListsItsOptionsWithTheirDefaults() {
        Map<String, String[]> expected = Map.of(
                "ties", new String[] {"--base", "--out", "--topk", "default: 0.2", "--lambda", "default: 1", "--scope", "--ties-scope", "default: global", "--dtype", "default: f32"},
                "cart", new String[] {"--rank", "--rank-ratio", "default: 0.08", "--lambda", "default: 1", "--select", "attn or mlp", "No base needed"},
                "task-arithmetic", new String[] {"--lambda", "default: 0.3", "--negate", "Needs --base"},
                "consensus", new String[] {"--tall-lambda", "default: 0.4", "--min-agree", "default: 2"});
        expected.forEach((method, wanted) -> {
            CliRun r = CliRun.of("merge", method, "--help");
            assertEquals(0, r.code(), r.err());
            String help = r.out().replaceAll("\\s+", " ");
            for (String s : wanted) {
                assertTrue(help.contains(s), "merge " + method + " --help lacks " + s + ":\n" + r.out());
            }
        });
        CliRun top = CliRun.of("--help");
        assertTrue(top.out().contains("merge") && top.out().contains("inspect"));
    }

    @Test
    void listPrintsTheCatalogue() {
        CliRun r = CliRun.of("merge", "--list");
        assertEquals(0, r.code(), r.err());
        for (org.taulab.dsl.merge.MergeMethod m : org.taulab.dsl.merge.MergeCatalogue.all()) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(m.name() + " ")), "--list lacks " + m.name() + ":\n" + r.out());
        }
        assertTrue(r.out().contains("--topk X") && r.out().contains("(default 0.2)"), r.out());
        CliRun md = CliRun.of("merge", "--list", "--format", "markdown");
        assertEquals(org.taulab.dsl.merge.MergeCatalogue.markdownTable(), md.out());
    }

    @Test
    void inspectPrintsOneLinePerTensor() throws Exception {
        Path p = checkpoint("x.safetensors", new float[] {3, 0, 0, 4}, new float[] {1, 0}, 9);
        CliRun r = CliRun.of("inspect", p.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].matches("blocks\\.0\\.attn\\.w\\s+F32\\s+\\[2, 2\\]\\s+5\\.0+\\s*"), lines[0]);
        assertTrue(lines[1].matches("blocks\\.0\\.bias\\s+F32\\s+\\[2\\]\\s+1\\.0+\\s*"), lines[1]);
        assertTrue(lines[2].matches("num_batches\\s+I64\\s+\\[1\\]\\s+-\\s*"), lines[2]);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
