package org.taulab.dsl.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.Json;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;

/**
 * A LoRA adapter extracted from a fine-tuned model: per selected matrix, the rank-R truncated SVD of its task
 * vector {@code τ ≈ U_R Σ_R V_Rᵀ}, written as PEFT's factors {@code B = U_R Σ_R^½} and {@code A = Σ_R^½ V_Rᵀ} with
 * {@code lora_alpha = r}, so that PEFT's {@code (alpha / r) B A} is that rank-R approximation. Matrices smaller than
 * R keep their full rank. One matrix is decomposed at a time (its factors are written before the next is read).
 */
public final class LoraExtraction {
    /** 2-D {@code .weight} tensors except embeddings (PEFT adapts those with other factor names). */
    public static final String DEFAULT_SELECT = "^(?!.*(embed|wte|wpe)).*\\.weight$";

    private LoraExtraction() {
    }

    public static void extract(Weights base, Weights finetuned, int rank, String select, SvdChoice svd, Path out, SaveOptions options) {
        if (rank < 1) {
            throw new TauLabException("extract-lora: rank must be at least 1, got " + rank);
        }
        base.requireSameFloatLayout(finetuned);
        Pattern pattern = Pattern.compile(select);
        Map<String, TensorEntry> factors = new LinkedHashMap<>();
        List<String> modules = new ArrayList<>();
        Map<String, Integer> ownRank = new LinkedHashMap<>();
        Map<String, float[][]> pending = new java.util.concurrent.ConcurrentHashMap<>();
        for (TensorEntry e : finetuned.entries().values()) {
            if (!e.isMatrix() || !pattern.matcher(e.name()).find() || !e.name().endsWith(".weight")) {
                continue;
            }
            String module = e.name().substring(0, e.name().length() - ".weight".length());
            int m = (int) e.shape()[0];
            int n = (int) e.shape()[1];
            int k = Math.min(rank, Math.min(m, n));
            String a = LoraAdapter.PREFIX + module + ".lora_A.weight";
            String b = LoraAdapter.PREFIX + module + ".lora_B.weight";
            factors.put(a, TensorEntry.floating(a, DType.F32, new long[] {k, n}, mm -> {
                float[][] ab = decompose(base, finetuned, e.name(), m, n, k, svd);
                pending.put(module, ab);
                return mm.create(ab[0], new Shape(k, n));
            }));
            factors.put(b, TensorEntry.floating(b, DType.F32, new long[] {m, k}, mm -> {
                float[][] ab = pending.remove(module);
                if (ab == null) {
                    ab = decompose(base, finetuned, e.name(), m, n, k, svd);
                }
                return mm.create(ab[1], new Shape(m, k));
            }));
            modules.add(module);
            if (k != rank) {
                ownRank.put(module, k);
            }
        }
        if (modules.isEmpty()) {
            throw new TauLabException("extract-lora: no 2-D .weight tensor matches --select " + select);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("peft_type", "LORA");
        config.put("base_model_name_or_path", base.label());
        config.put("r", rank);
        config.put("lora_alpha", rank);
        config.put("lora_dropout", 0.0);
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("use_rslora", false);
        config.put("target_modules", modules);
        // a matrix smaller than the rank keeps its full rank k, and alpha k keeps its scale alpha / r at 1
        config.put("rank_pattern", ownRank);
        config.put("alpha_pattern", ownRank);
        config.put("inference_mode", true);
        writeFolder(out, new Weights(factors, Map.of("format", "pt", "taulab.extracted_from", finetuned.label(), "taulab.rank", String.valueOf(rank)),
                "lora"), Json.write(config) + "\n", options);
    }

    /** {A = Σ^½ Vᵀ (k × n), B = U Σ^½ (m × k)} of the rank-k truncation of τ = ft − base. */
    static float[][] decompose(Weights base, Weights ft, String name, int m, int n, int k, SvdChoice choice) {
        float[] tau;
        try (var mm = Tensors.scope()) {
            NDArray d = ft.compute(name, mm).subi(base.compute(name, mm));
            tau = d.toFloatArray();
        }
        Svd s = choice.decompose(tau, m, n, k, name);
        int p = s.p();
        float[] a = new float[k * n];
        float[] b = new float[m * k];
        for (int j = 0; j < k; j++) {
            float root = (float) Math.sqrt(Math.max(0, s.s()[j]));
            for (int c = 0; c < n; c++) {
                a[j * n + c] = root * s.vt()[j * n + c];
            }
            for (int r = 0; r < m; r++) {
                b[r * k + j] = s.u()[r * p + j] * root;
            }
        }
        return new float[][] {a, b};
    }

    private static void writeFolder(Path target, Weights factors, String config, SaveOptions options) {
        org.taulab.dsl.tensor.ModelFolderWriter.writeFolder(target, "the adapter", tmp -> {
            factors.save(tmp.resolve(LoraAdapter.WEIGHTS), options.dtype(DType.F32));
            Files.writeString(tmp.resolve(LoraAdapter.CONFIG), config, StandardCharsets.UTF_8);
        });
    }
}
