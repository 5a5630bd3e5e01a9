package org.taulab.dsl.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/** PEFT adapters as task vectors, and adapters extracted from task vectors, against hand computations and exact SVDs. */
class LoraTest {
    @TempDir
    Path dir;

    private static final String Q = "model.layers.0.self_attn.q_proj.weight";
    private static final String NORM = "model.norm.weight";

    private static TensorEntry t(String name, long[] shape, float... v) {
        long[] s = shape.clone();
        return TensorEntry.floating(name, DType.F32, s, m -> m.create(v.clone(), new Shape(s)));
    }

    /** Weights from entries keyed by name (each entry takes its key as its name). */
    private static Weights weights(Map<String, TensorEntry> e) {
        Map<String, TensorEntry> named = new LinkedHashMap<>();
        e.forEach((k, v) -> named.put(k, new TensorEntry(k, v.dtype(), v.shape(), v.source(), v.raw())));
        return new Weights(named, Map.of(), "w");
    }

    /** A base with a 2 × 3 q_proj and a norm vector. */
    private static Weights base() {
        Map<String, TensorEntry> e = new LinkedHashMap<>();
        e.put(Q, t(Q, new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        e.put(NORM, t(NORM, new long[] {2}, 1, 1));
        return weights(e);
    }

    /** An adapter folder with B = [[1], [2]] (2 × 1) and A = [[1, 0, -1]] (1 × 3): B A = [[1, 0, -1], [2, 0, -2]]. */
    private Path adapter(String name, String config) throws Exception {
        return adapter(name, config, 1);
    }

    /** The same B A from factors of rank {@code rank} (zero columns of B and rows of A added). */
    private Path adapter(String name, String config, int rank) throws Exception {
        Path f = Files.createDirectories(dir.resolve(name));
        Map<String, TensorEntry> e = new LinkedHashMap<>();
        float[] a = new float[rank * 3];
        a[0] = 1;
        a[2] = -1;
        float[] b = new float[2 * rank];
        b[0] = 1;
        b[rank] = 2;
        e.put("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", t("a", new long[] {rank, 3}, a));
        e.put("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", t("b", new long[] {2, rank}, b));
        weights(e).save(f.resolve(LoraAdapter.WEIGHTS), SaveOptions.defaults().dtype(DType.BF16));
        Files.writeString(f.resolve(LoraAdapter.CONFIG), config);
        return f;
    }

    @Test
    void anAdapterIsItsBasePlusScaledBTimesAByHand() throws Exception {
        Weights model = LoraAdapter.read(adapter("plain", "{\"peft_type\": \"LORA\", \"r\": 1, \"lora_alpha\": 3}")).onBase(base());
        // W + (3 / 1) B A
        assertArrayEquals(new float[] {4, 2, 0, 10, 5, 0}, model.get(Q).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1, 1}, model.get(NORM).toFloatArray(), 0f, "every other tensor is the base's");
        Weights rs = LoraAdapter.read(adapter("rs", "{\"r\": 4, \"lora_alpha\": 2, \"use_rslora\": true}", 4)).onBase(base());
        // rsLoRA scales by alpha / sqrt(r) = 2 / 2 (plain LoRA would scale by 2 / 4)
        assertArrayEquals(new float[] {2, 2, 2, 6, 5, 4}, rs.get(Q).toFloatArray(), 1e-6f);
        Weights plain = LoraAdapter.read(adapter("plain4", "{\"r\": 4, \"lora_alpha\": 2}", 4)).onBase(base());
        assertArrayEquals(new float[] {1.5f, 2, 2.5f, 5, 5, 5}, plain.get(Q).toFloatArray(), 1e-6f);
        Weights patterned = LoraAdapter.read(adapter("pattern", "{\"r\": 8, \"lora_alpha\": 8, \"rank_pattern\": {\"q_proj\": 1}, "
                + "\"alpha_pattern\": {\"q_proj\": 2}}")).onBase(base());
        assertArrayEquals(new float[] {3, 2, 1, 8, 5, 2}, patterned.get(Q).toFloatArray(), 1e-6f, "rank_pattern and alpha_pattern: 2 / 1");
        Map<String, TensorEntry> conv = new LinkedHashMap<>();
        conv.put(Q, t(Q, new long[] {3, 2}, 0, 0, 0, 0, 0, 0));
        Weights fan = LoraAdapter.read(adapter("fan", "{\"r\": 1, \"lora_alpha\": 1, \"fan_in_fan_out\": true}")).onBase(weights(conv));
        assertArrayEquals(new float[] {1, 2, 0, 0, -1, -2}, fan.get(Q).toFloatArray(), 1e-6f, "GPT-2 style [in, out] weights take (B A)ᵀ");
    }

    @Test
    void mergingAnAdapterEqualsMergingItsDenseDelta() throws Exception {
        Path a = adapter("plain", "{\"r\": 1, \"lora_alpha\": 2}");
        Weights pre = base();
        Weights asAdapter = LoraAdapter.modelOrAdapter(a, pre);
        Map<String, TensorEntry> dense = new LinkedHashMap<>();
        dense.put(Q, t(Q, new long[] {2, 3}, 1 + 2, 2, 3 - 2, 4 + 4, 5, 6 - 4));
        dense.put(NORM, t(NORM, new long[] {2}, 1, 1));
        Map<String, TensorEntry> other = new LinkedHashMap<>();
        other.put(Q, t(Q, new long[] {2, 3}, 0, 2, 3, 4, 5, 9));
        other.put(NORM, t(NORM, new long[] {2}, 3, 1));
        for (String method : List.of("task-arithmetic", "ties")) {
            Weights viaAdapter = MergeCatalogue.require(method).create(Map.of("lambda", 0.5))
                    .merge(new MergeInputs(pre, List.of(asAdapter, weights(other)), List.of("a", "b")));
            Weights viaDense = MergeCatalogue.require(method).create(Map.of("lambda", 0.5))
                    .merge(new MergeInputs(pre, List.of(weights(dense), weights(other)), List.of("a", "b")));
            for (String name : List.of(Q, NORM)) {
                assertArrayEquals(viaDense.get(name).toFloatArray(), viaAdapter.get(name).toFloatArray(), 1e-6f, method + " " + name);
            }
        }
    }

    @Test
    void extractedAdaptersAreTheTaskVectorsRankRApproximation() throws Exception {
        Random rnd = new Random(5);
        int m = 12;
        int n = 9;
        float[] pre = new float[m * n];
        float[] ft = new float[m * n];
        for (int i = 0; i < pre.length; i++) {
            pre[i] = (float) rnd.nextGaussian();
            ft[i] = pre[i] + (float) rnd.nextGaussian() * 0.1f;
        }
        String name = "model.layers.0.mlp.up_proj.weight";
        Map<String, TensorEntry> b = new LinkedHashMap<>();
        b.put(name, t(name, new long[] {m, n}, pre));
        b.put("model.embed_tokens.weight", t("model.embed_tokens.weight", new long[] {2, 2}, 1, 2, 3, 4));
        Map<String, TensorEntry> f = new LinkedHashMap<>();
        f.put(name, t(name, new long[] {m, n}, ft));
        f.put("model.embed_tokens.weight", t("model.embed_tokens.weight", new long[] {2, 2}, 2, 2, 3, 4));
        Weights base = weights(b);
        Path out = dir.resolve("adapter");
        LoraExtraction.extract(base, weights(f), 3, LoraExtraction.DEFAULT_SELECT, SvdChoice.EXACT, out, SaveOptions.defaults());
        LoraAdapter read = LoraAdapter.read(out);
        assertEquals(3, read.r());
        assertEquals(List.of("model.layers.0.mlp.up_proj"), List.copyOf(read.pairs().keySet()), "embeddings are not adapted by default");
        assertTrue(Files.readString(out.resolve(LoraAdapter.CONFIG)).contains("\"target_modules\":[\"model.layers.0.mlp.up_proj\"]"));
        Weights back = read.onBase(base);
        float[] tau = new float[m * n];
        for (int i = 0; i < tau.length; i++) {
            tau[i] = ft[i] - pre[i];
        }
        float[] rank3 = Svd.of(tau, m, n, name).truncate(3);
        float[] got = back.get(name).toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(pre[i] + rank3[i], got[i], 1e-5, "entry " + i);
        }
        assertArrayEquals(new float[] {1, 2, 3, 4}, back.get("model.embed_tokens.weight").toFloatArray(), 0f);
        // a rank at least the matrix's own gives the task vector back
        Path full = dir.resolve("full");
        LoraExtraction.extract(base, weights(f), 50, LoraExtraction.DEFAULT_SELECT, SvdChoice.AUTO, full, SaveOptions.defaults());
        float[] whole = LoraAdapter.read(full).onBase(base).get(name).toFloatArray();
        for (int i = 0; i < whole.length; i++) {
            assertEquals(ft[i], whole[i], 1e-5, "entry " + i);
        }
    }

    @Test
    void brokenAdaptersAreOneLineErrors() throws Exception {
        Path noB = Files.createDirectories(dir.resolve("nob"));
        Map<String, TensorEntry> e = new LinkedHashMap<>();
        e.put("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", t("a", new long[] {1, 3}, 1, 0, -1));
        weights(e).save(noB.resolve(LoraAdapter.WEIGHTS));
        Files.writeString(noB.resolve(LoraAdapter.CONFIG), "{\"r\": 1}");
        TauLabException missing = assertThrows(TauLabException.class, () -> LoraAdapter.read(noB));
        assertTrue(missing.getMessage().contains("has no lora_B factor"), missing.getMessage());
        Path ia3 = adapter("ia3", "{\"peft_type\": \"IA3\", \"r\": 1}");
        assertTrue(assertThrows(TauLabException.class, () -> LoraAdapter.read(ia3)).getMessage().contains("is not LORA"));
        Path wrongR = adapter("wrongr", "{\"r\": 8}");
        assertTrue(assertThrows(TauLabException.class, () -> LoraAdapter.read(wrongR)).getMessage().contains("have rank 1, but the config gives it r = 8"));
        Path badR = adapter("badr", "{\"r\": 0}");
        assertTrue(assertThrows(TauLabException.class, () -> LoraAdapter.read(badR)).getMessage().contains("'r' must be a positive whole number"));
        Path ok = adapter("ok", "{\"r\": 1}");
        Map<String, TensorEntry> other = new LinkedHashMap<>();
        other.put("model.layers.0.mlp.up_proj.weight", t("x", new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        TauLabException wrongBase = assertThrows(TauLabException.class, () -> LoraAdapter.read(ok).onBase(weights(other)));
        assertTrue(wrongBase.getMessage().contains("the base has no tensor '" + Q + "'"), wrongBase.getMessage());
        Map<String, TensorEntry> wide = new LinkedHashMap<>();
        wide.put(Q, t(Q, new long[] {3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        TauLabException shape = assertThrows(TauLabException.class, () -> LoraAdapter.read(ok).onBase(weights(wide)));
        assertTrue(shape.getMessage().contains("is [3, 3], but its adapter's B A is [2, 3]"), shape.getMessage());
        TauLabException noBase = assertThrows(TauLabException.class, () -> LoraAdapter.modelOrAdapter(ok, null));
        assertTrue(noBase.getMessage().contains("give the base"), noBase.getMessage());
    }
}
