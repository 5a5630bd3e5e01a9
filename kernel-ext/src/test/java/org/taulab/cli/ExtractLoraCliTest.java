package org.taulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/** taulab extract-lora writes a PEFT adapter; merged back as a task vector it is the task vector's rank-R approximation. */
class ExtractLoraCliTest {
    @TempDir
    Path dir;

    private static final String UP = "model.layers.0.mlp.up_proj.weight";

    private Path matrix(String name, float[] v) {
        Map<String, TensorEntry> e = new LinkedHashMap<>();
        e.put(UP, TensorEntry.floating(UP, DType.F32, new long[] {6, 4}, m -> m.create(v.clone(), new Shape(6, 4))));
        Path p = dir.resolve(name);
        new Weights(e, Map.of(), name).save(p);
        return p;
    }

    @Test
    void extractThenMergeIsTheRankRApproximation() throws Exception {
        Random rnd = new Random(3);
        float[] pre = new float[24];
        float[] ft = new float[24];
        float[] tau = new float[24];
        for (int i = 0; i < 24; i++) {
            pre[i] = (float) rnd.nextGaussian();
            tau[i] = (float) rnd.nextGaussian();
            ft[i] = pre[i] + tau[i];
        }
        Path base = matrix("pre.safetensors", pre);
        Path tuned = matrix("ft.safetensors", ft);
        Path adapter = dir.resolve("adapter");
        CliRun x = CliRun.of("extract-lora", "--base", base.toString(), "--rank", "2", "--out", adapter.toString(), tuned.toString());
        assertEquals(0, x.code(), x.err());
        assertTrue(Files.isRegularFile(adapter.resolve("adapter_config.json")) && Files.isRegularFile(adapter.resolve("adapter_model.safetensors")));
        assertTrue(Weights.load(adapter.resolve("adapter_model.safetensors")).entries()
                .containsKey("base_model.model.model.layers.0.mlp.up_proj.lora_B.weight"));
        Path merged = dir.resolve("m.safetensors");
        CliRun m = CliRun.of("merge", "task-arithmetic", "--lambda", "1", "--base", base.toString(), "--out", merged.toString(), adapter.toString());
        assertEquals(0, m.code(), m.err());
        float[] rank2 = Svd.of(tau, 6, 4, UP).truncate(2);
        float[] got = Weights.load(merged).get(UP).toFloatArray();
        for (int i = 0; i < 24; i++) {
            assertEquals(pre[i] + rank2[i], got[i], 1e-5, "entry " + i);
        }
        CliRun zero = CliRun.of("extract-lora", "--base", base.toString(), "--rank", "0", "--out", dir.resolve("a0").toString(), tuned.toString());
        assertEquals(2, zero.code());
        CliRun again = CliRun.of("extract-lora", "--base", base.toString(), "--rank", "2", "--out", adapter.toString(), tuned.toString());
        assertEquals(2, again.code(), "the adapter folder exists and is not empty");
        assertTrue(again.err().contains("refusing to replace"), again.err());
        CliRun none = CliRun.of("extract-lora", "--base", base.toString(), "--rank", "2", "--select", "attn", "--out", dir.resolve("a1").toString(), tuned.toString());
        assertEquals(1, none.code());
        assertEquals("taulab: extract-lora: no 2-D .weight tensor matches --select attn", none.err().strip());
        CliRun noBase = CliRun.of("merge", "average", "--out", dir.resolve("avg.safetensors").toString(), adapter.toString(), tuned.toString());
        assertEquals(1, noBase.code());
        assertTrue(noBase.err().contains("a LoRA adapter is a task vector on its base model"), noBase.err());
    }
}
