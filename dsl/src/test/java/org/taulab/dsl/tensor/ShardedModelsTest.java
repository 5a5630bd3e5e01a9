package org.taulab.dsl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taulab.dsl.tensor.Fixtures.mat;
import static org.taulab.dsl.tensor.Fixtures.values;
import static org.taulab.dsl.tensor.Fixtures.vec;
import static org.taulab.dsl.tensor.Fixtures.weights;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.io.Sha256;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeInputs;

/** Hugging Face model folders: sharded with an index (bf16 and f32 shards mixed), or holding one file; bad indexes named. */
class ShardedModelsTest {
    @TempDir
    Path dir;

    private static final String Q = "model.layers.0.self_attn.q_proj.weight";
    private static final String N = "model.layers.0.input_layernorm.weight";
    private static final String E = "model.embed_tokens.weight";

    /** A two-shard folder: the attention weight in bf16, the rest in f32 (values exact in bf16). */
    private Path folder(String name, float shift) throws Exception {
        Path f = Files.createDirectories(dir.resolve(name));
        weights("s1", Q, mat(2, 2, 1 + shift, 2, -0.5f, 4)).save(f.resolve("model-00001-of-00002.safetensors"), SaveOptions.defaults().dtype(DType.BF16));
        weights("s2", N, vec(1, 1 + shift), E, mat(2, 2, 0.25f, 0.5f, 8, 16 + shift)).save(f.resolve("model-00002-of-00002.safetensors"));
        index(f, Map.of(Q, "model-00001-of-00002.safetensors", N, "model-00002-of-00002.safetensors", E, "model-00002-of-00002.safetensors"));
        Files.writeString(f.resolve("config.json"), "{\"model_type\": \"llama\"}");
        return f;
    }

    private static void index(Path folder, Map<String, String> map) throws Exception {
        StringBuilder sb = new StringBuilder("{\"metadata\": {\"total_size\": 40}, \"weight_map\": {");
        String sep = "";
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(map).entrySet()) {
            sb.append(sep).append('"').append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
            sep = ", ";
        }
        Files.writeString(folder.resolve("model.safetensors.index.json"), sb.append("}}").toString());
    }

    @Test
    void aShardedFolderLoadsEveryTensorFromItsShard() throws Exception {
        Path f = folder("hf", 0);
        for (Path p : List.of(f, f.resolve("model.safetensors.index.json"))) {
            Weights w = Weights.load(p);
            assertEquals(java.util.Set.of(Q, N, E), w.entries().keySet());
            assertArrayEquals(new float[] {1, 2, -0.5f, 4}, values(w, Q), 0f);
            assertArrayEquals(new float[] {0.25f, 0.5f, 8, 16}, values(w, E), 0f);
            assertEquals(DType.BF16, w.entry(Q).dtype());
            assertEquals(DType.F32, w.entry(N).dtype());
            assertEquals("hf", w.label());
            assertEquals(List.of(f.resolve("model.safetensors.index.json"), f.resolve("model-00001-of-00002.safetensors"),
                    f.resolve("model-00002-of-00002.safetensors")), w.files().stream().map(x -> f.resolve(x.getFileName())).toList());
        }
        Path single = Files.createDirectories(dir.resolve("one"));
        weights("m", N, vec(3, 4)).save(single.resolve("model.safetensors"));
        assertArrayEquals(new float[] {3, 4}, values(Weights.load(single), N), 0f);
    }

    @Test
    void aMergeOfFoldersEqualsTheMergeOfTheirTensorsAndRecordsTheShardsHashes() throws Exception {
        Weights pre = Weights.load(folder("pre", 0));
        Weights ft = Weights.load(folder("ft", 1));
        Path out = dir.resolve("merged.safetensors");
        MergeCatalogue.require("task-arithmetic").create(Map.of("lambda", 0.5)).apply(new MergeInputs(pre, List.of(ft))).save(out);
        Weights merged = Weights.load(out);
        assertArrayEquals(new float[] {1.5f, 2, -0.5f, 4}, values(merged, Q), 1e-6f);
        assertArrayEquals(new float[] {1, 1.5f}, values(merged, N), 1e-6f);
        assertEquals("pre", merged.metadata().get("taulab.base"));
        StringBuilder lines = new StringBuilder();
        for (String file : List.of("model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors")) {
            lines.append(file).append(' ').append(Sha256.of(dir.resolve("pre").resolve(file))).append('\n');
        }
        assertEquals(Sha256.of(lines.toString().getBytes(StandardCharsets.UTF_8)), merged.metadata().get("taulab.base.sha256"));
        TauLabException e = assertThrows(TauLabException.class, () -> MergeCatalogue.require("average").create()
                .apply(new MergeInputs(null, List.of(pre, ft))).save(dir.resolve("pre").resolve("model-00002-of-00002.safetensors")));
        assertTrue(e.getMessage().contains("refusing to overwrite an input"), e.getMessage());
    }

    @Test
    void badIndexesAreOneLineErrorsNamingTheShardAndTensor() throws Exception {
        Path f = folder("bad", 0);
        String s1 = "model-00001-of-00002.safetensors";
        String s2 = "model-00002-of-00002.safetensors";
        index(f, Map.of(Q, s1, N, "model-00003-of-00002.safetensors", E, s2));
        assertMessage(f, "shard model-00003-of-00002.safetensors (of tensor '" + N + "') is missing");
        index(f, Map.of(Q, s2, N, s2, E, s2));
        assertMessage(f, "tensor '" + Q + "' is said to be in " + s2 + ", which does not hold it");
        index(f, Map.of(Q, s1, N, s2));
        assertMessage(f, "shard " + s2 + " holds tensor '" + E + "', which the index does not list");
        weights("s3", "x", vec(1), Q, mat(2, 2, 1, 2, 3, 4)).save(f.resolve("model-00003.safetensors"));
        index(f, Map.of(Q, s1, N, s2, E, s2, "x", "model-00003.safetensors"));
        assertMessage(f, "tensor '" + Q + "' is in two shards, " + s1 + " and model-00003.safetensors");
        Files.writeString(f.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");
        assertMessage(f, "not a safetensors index (no \"weight_map\" object)");
        Files.writeString(f.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"a\": \"../x.safetensors\"}}");
        assertMessage(f, "tensor 'a' maps to \"../x.safetensors\", not a shard file name in the folder");
        Files.delete(f.resolve("model.safetensors.index.json"));
        assertMessage(f, "a model folder needs model.safetensors.index.json, model.safetensors or a single .safetensors file (it has 3:");
    }

    private static void assertMessage(Path p, String expected) {
        TauLabException e = assertThrows(TauLabException.class, () -> Weights.load(p));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
