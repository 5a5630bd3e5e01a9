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
}
