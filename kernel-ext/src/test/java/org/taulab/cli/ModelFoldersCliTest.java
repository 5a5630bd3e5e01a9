package org.taulab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/** Model folders (sharded with an index, bf16 and f32 mixed) stand wherever the command line takes a model. */
class ModelFoldersCliTest {
    @TempDir
    Path dir;

    private static Weights one(String name, float... v) {
        Map<String, TensorEntry> e = new LinkedHashMap<>();
        e.put(name, TensorEntry.floating(name, DType.F32, new long[] {v.length}, m -> m.create(v.clone(), new Shape(v.length))));
        return new Weights(e, Map.of(), name);
    }

    private Path sharded(String name, float a, float b) throws Exception {
        Path f = Files.createDirectories(dir.resolve(name));
        one("model.layers.0.mlp.up_proj.weight", a, 2 * a).save(f.resolve("model-00001-of-00002.safetensors"),
                org.taulab.dsl.io.SaveOptions.defaults().dtype(DType.BF16));
        one("model.norm.weight", b, b).save(f.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(f.resolve("model.safetensors.index.json"), "{\"metadata\": {}, \"weight_map\": {"
                + "\"model.layers.0.mlp.up_proj.weight\": \"model-00001-of-00002.safetensors\", "
                + "\"model.norm.weight\": \"model-00002-of-00002.safetensors\"}}");
        return f;
    }

    @Test
    void foldersAndIndexesMergeLikeTheirTensors() throws Exception {
        Path pre = sharded("pre", 1, 1);
        Path a = sharded("a", 2, 3);
        Path b = sharded("b", 4, 5);
        Path out = dir.resolve("out.safetensors");
        CliRun r = CliRun.of("merge", "task-arithmetic", "--lambda", "0.5", "--base", pre.toString(), "--out", out.toString(),
                a.toString(), b.resolve("model.safetensors.index.json").toString());
        assertEquals(0, r.code(), r.err());
        Weights m = Weights.load(out);
        // τ_a = (1, 2), τ_b = (3, 6) on up_proj; (2, 2) and (4, 4) on the norm
        assertArrayEquals(new float[] {1 + 2, 2 + 4}, m.get("model.layers.0.mlp.up_proj.weight").toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1 + 3, 1 + 3}, m.get("model.norm.weight").toFloatArray(), 1e-6f);
        assertEquals("pre", m.metadata().get("taulab.base"));
        assertEquals("a", m.metadata().get("taulab.input.1"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun bad = CliRun.of("merge", "average", "--out", dir.resolve("x.safetensors").toString(), empty.toString());
        assertEquals(1, bad.code(), bad.err());
        assertTrue(bad.err().contains("a model folder needs model.safetensors.index.json") && bad.err().contains("(it has none)"), bad.err());
        CliRun shown = CliRun.of("inspect", a.toString());
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().contains("model.norm.weight") && shown.out().contains("BF16"), shown.out());
    }

    @Test
    void aFolderOutputHoldsShardsTheIndexTheBasesFilesAndACardAndEqualsTheSingleFile() throws Exception {
        Path pre = sharded("pre", 1, 1);
        Files.writeString(pre.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 2}");
        Files.writeString(pre.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        Files.writeString(pre.resolve("tokenizer_config.json"), "{}");
        Files.writeString(pre.resolve("README.md"), "the base's own card");
        Files.write(pre.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        Path a = sharded("a", 2, 3);
        Path b = sharded("b", -4, 5);
        Path single = dir.resolve("single.safetensors");
        assertEquals(0, CliRun.of("merge", "ties", "--topk", "0.5", "--base", pre.toString(), "--out", single.toString(),
                a.toString(), b.toString()).code());
        Path out = dir.resolve("merged");
        CliRun r = CliRun.of("merge", "ties", "--topk", "0.5", "--shard-size", "10", "--base", pre.toString(), "--out", out.toString(),
                a.toString(), b.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("in 2 shards"), r.out());
        // two float32 tensors of 8 bytes each, at most 10 bytes per shard: one shard each, and the index names them
        Map<?, ?> index = (Map<?, ?>) org.taulab.dsl.io.Json.parse(Files.readString(out.resolve("model.safetensors.index.json")));
        Map<?, ?> weightMap = (Map<?, ?>) index.get("weight_map");
        assertEquals("model-00001-of-00002.safetensors", weightMap.get("model.layers.0.mlp.up_proj.weight"));
        assertEquals("model-00002-of-00002.safetensors", weightMap.get("model.norm.weight"));
        assertEquals(16L, ((Number) ((Map<?, ?>) index.get("metadata")).get("total_size")).longValue());
        Weights fromFolder = Weights.load(out);
        Weights fromFile = Weights.load(single);
        for (String t : fromFile.entries().keySet()) {
            assertArrayEquals(fromFile.get(t).toFloatArray(), fromFolder.get(t).toFloatArray(), 0f, t);
        }
        for (String copied : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json"}) {
            assertEquals(Files.readString(pre.resolve(copied)), Files.readString(out.resolve(copied)), copied);
        }
        assertTrue(!Files.exists(out.resolve("pytorch_model.bin")), "the base's weights are not copied");
        String card = Files.readString(out.resolve("README.md"));
        assertTrue(card.contains("# Merged with TauLab: ties") && card.contains("\"topk\":0.5"), card);
        assertTrue(card.contains(fromFile.metadata().get("taulab.base.sha256")) && card.contains(fromFile.metadata().get("taulab.input.2.sha256")), card);
        assertEquals(fromFile.metadata().get("taulab.input.1.sha256"), fromFolder.metadata().get("taulab.input.1.sha256"));

        // a base that is a folder gives a folder without --shard-size: one model.safetensors under the default 5GB
        Path plain = dir.resolve("plain");
        assertEquals(0, CliRun.of("merge", "task-arithmetic", "--base", pre.toString(), "--out", plain.toString(), a.toString()).code());
        assertTrue(Files.isRegularFile(plain.resolve("model.safetensors")) && !Files.exists(plain.resolve("model.safetensors.index.json")));
        assertTrue(Files.exists(plain.resolve("config.json")));
    }

    @Test
    void folderOutputsRefuseWhatTheyMustNotReplaceAndLeaveNothingHalfWritten() throws Exception {
        Path pre = sharded("pre", 1, 1);
        Path a = sharded("a", 2, 3);
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve("notes.txt"), "mine");
        CliRun full = CliRun.of("merge", "task-arithmetic", "--base", pre.toString(), "--out", taken.toString(), a.toString());
        assertEquals(2, full.code());
        assertEquals("taulab: --out " + taken + ": folder exists and is not empty; refusing to replace what is there (give a new folder name)",
                full.err().strip());
        assertEquals("mine", Files.readString(taken.resolve("notes.txt")));
        CliRun size = CliRun.of("merge", "task-arithmetic", "--shard-size", "5XB", "--base", pre.toString(), "--out", dir.resolve("o").toString(), a.toString());
        assertEquals(2, size.code());
        assertTrue(size.err().startsWith("taulab: --shard-size '5XB' is not a size"), size.err());
        CliRun files = CliRun.of("merge", "average", "--files-from", pre.toString(), "--out", dir.resolve("o.safetensors").toString(),
                a.resolve("model-00002-of-00002.safetensors").toString());
        assertEquals(2, files.code(), files.err());
        // a merge that fails while writing (task arithmetic overflowing float32) leaves neither the folder nor a temporary
        Path big = Files.createDirectories(dir.resolve("big"));
        one("w", 3e38f).save(big.resolve("model.safetensors"));
        Path out = dir.resolve("overflow");
        Path zero = Files.createDirectories(dir.resolve("zero"));
        one("w", 0f).save(zero.resolve("model.safetensors"));
        CliRun overflow = CliRun.of("merge", "task-arithmetic", "--lambda", "2", "--shard-size", "1KB", "--base", zero.toString(),
                "--out", out.toString(), big.toString());
        assertEquals(1, overflow.code(), overflow.err());
        assertTrue(overflow.err().contains("overflow") && overflow.err().contains("'w'"), overflow.err());
        assertTrue(!Files.exists(out));
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertEquals(java.util.List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList());
        }
    }

    @Test
    void aConfigOnShardedFoldersWritesAShardedFolderEqualToTheSingleFileMerge() throws Exception {
        Path pre = sharded("pre", 1, 1);
        Path a = sharded("a", 2, 3);
        Path b = Files.createDirectories(dir.resolve("b"));  // an f16 model among bf16 and f32 ones
        one("model.layers.0.mlp.up_proj.weight", -4, -8).save(b.resolve("model-00001-of-00002.safetensors"),
                org.taulab.dsl.io.SaveOptions.defaults().dtype(DType.F16));
        one("model.norm.weight", 5, 5).save(b.resolve("model-00002-of-00002.safetensors"), org.taulab.dsl.io.SaveOptions.defaults().dtype(DType.F16));
        Files.copy(a.resolve("model.safetensors.index.json"), b.resolve("model.safetensors.index.json"));
        Files.writeString(pre.resolve("config.json"), "{\"model_type\": \"llama\"}");
        Path config = Files.writeString(dir.resolve("merge.yaml"), String.join("\n",
                "merge_method: ties",
                "base_model: pre",
                "models:",
                "  - model: pre",
                "  - model: a",
                "  - model: b",
                "parameters:",
                "  density: 0.5",
                "  scope: tensor",
                "  lambda: 0.8",
                "shard_size: 10",
                "tokenizer_source: base", ""));
        Path out = dir.resolve("merged");
        CliRun r = CliRun.of("merge", "ties", "--config", config.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("model.safetensors.index.json")) && Files.exists(out.resolve("config.json")));
        Path single = dir.resolve("single.safetensors");
        CliRun s = CliRun.of("merge", "ties", "--topk", "0.5", "--scope", "tensor", "--lambda", "0.8", "--base", pre.toString(),
                "--out", single.toString(), a.toString(), b.toString());
        assertEquals(0, s.code(), s.err());
        Weights folder = Weights.load(out);
        Weights file = Weights.load(single);
        assertEquals(file.entries().keySet(), folder.entries().keySet());
        for (String t : file.entries().keySet()) {
            assertArrayEquals(file.get(t).toFloatArray(), folder.get(t).toFloatArray(), 0f, t);
        }
        CliRun viaConfigOnly = CliRun.of("merge", "--config", config.toString(), "--out", dir.resolve("again").toString());
        assertEquals(0, viaConfigOnly.code(), viaConfigOnly.err());
        CliRun both = CliRun.of("merge", "ties", "--config", config.toString(), "--topk", "0.3", "--out", dir.resolve("x").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("gives the models and parameters; not also --topk"), both.err());
    }
}
