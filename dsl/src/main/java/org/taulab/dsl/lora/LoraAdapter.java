package org.taulab.dsl.lora;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.Json;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * A PEFT LoRA adapter (a folder with {@code adapter_config.json} and {@code adapter_model.safetensors}) as the model
 * it makes of a base: each target matrix {@code W + s · B A} with {@code s = lora_alpha / r} ({@code lora_alpha / √r}
 * with {@code use_rslora}; the transpose of {@code B A} with {@code fan_in_fan_out}), every other tensor the base's.
 * Its task vector is then exactly {@code s · B A} per target, so every merge of task vectors takes an adapter where
 * it takes a fine-tuned model. Tensor names are PEFT's: {@code base_model.model.<module>.lora_A.weight} on
 * {@code <module>.weight} of the base.
 */
public record LoraAdapter(Path folder, int r, double alpha, boolean rslora, boolean fanInFanOut, Map<String, Pair> pairs,
                          Map<String, Double> alphaPattern) {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    static final String PREFIX = "base_model.model.";

    /** The two factors of one target: B [out, r] and A [r, in], named as in the adapter file; {@code module} without {@code .weight}. */
    public record Pair(String module, String target, String a, String b, int rank) {
    }

    /**
     * A model argument as a model: a PEFT adapter folder becomes the model it makes of {@code base} (which it needs),
     * anything else is read as a checkpoint (a file, a model folder or its index).
     */
    public static Weights modelOrAdapter(Path p, Weights base) {
        if (!isAdapter(p)) {
            return Weights.load(p);
        }
        if (base == null) {
            throw new TauLabException(p + ": a LoRA adapter is a task vector on its base model; give the base (--base or base_model:)");
        }
        return read(p).onBase(base);
    }

    public static boolean isAdapter(Path p) {
        return Files.isDirectory(p) && Files.isRegularFile(p.resolve(CONFIG));
    }

    public static LoraAdapter read(Path folder) {
        Map<?, ?> config;
        try {
            Object parsed = Json.parse(Files.readString(folder.resolve(CONFIG), StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> m)) {
                throw new TauLabException(folder.resolve(CONFIG) + ": not a JSON object");
            }
            config = m;
        } catch (IOException e) {
            throw new TauLabException(folder.resolve(CONFIG) + ": cannot read (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        String type = String.valueOf(config.containsKey("peft_type") ? config.get("peft_type") : "LORA");
        if (!type.equalsIgnoreCase("LORA")) {
            throw new TauLabException(folder.resolve(CONFIG) + ": peft_type " + type + " is not LORA (only LoRA adapters are task vectors here)");
        }
        int r = positiveInt(config, "r", folder);
        double alpha = config.get("lora_alpha") instanceof Number n ? n.doubleValue() : r;
        boolean rslora = Boolean.TRUE.equals(config.get("use_rslora"));
        boolean fan = Boolean.TRUE.equals(config.get("fan_in_fan_out"));
        Map<String, Double> rankPattern = pattern(config, "rank_pattern", folder);
        Map<String, Double> alphaPattern = pattern(config, "alpha_pattern", folder);
        Path file = folder.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) {
            throw new TauLabException(folder + ": an adapter folder needs " + WEIGHTS + " (it has " + CONFIG + " only)");
        }
        Weights w = Weights.load(file);
        Map<String, String> as = new TreeMap<>();
        Map<String, String> bs = new TreeMap<>();
        for (String name : w.entries().keySet()) {
            String module = module(name, ".lora_A");
            if (module != null) {
                as.put(module, name);
                continue;
            }
            module = module(name, ".lora_B");
            if (module != null) {
                bs.put(module, name);
                continue;
            }
            throw new TauLabException(file + ": tensor '" + name + "' is neither a lora_A nor a lora_B factor (modules_to_save and "
                    + "embedding adapters are not task vectors TauLab reads yet)");
        }
        Map<String, Pair> pairs = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : as.entrySet()) {
            String b = bs.remove(a.getKey());
            if (b == null) {
                throw new TauLabException(file + ": '" + a.getValue() + "' has no lora_B factor beside it");
            }
            long[] sa = w.entries().get(a.getValue()).shape();
            long[] sb = w.entries().get(b).shape();
            if (sa.length != 2 || sb.length != 2 || sa[0] != sb[1]) {
                throw new TauLabException(file + ": factors of '" + a.getKey() + "' do not multiply: lora_B " + Arrays.toString(sb)
                        + " times lora_A " + Arrays.toString(sa) + " (B is [out, r], A is [r, in])");
            }
            int rank = (int) Math.round(lookup(rankPattern, a.getKey(), r));
            if (sa[0] != rank) {
                throw new TauLabException(file + ": factors of '" + a.getKey() + "' have rank " + sa[0] + ", but the config gives it r = " + rank
                        + " (a rank_pattern entry can give a module its own)");
            }
            pairs.put(a.getKey(), new Pair(a.getKey(), a.getKey() + ".weight", a.getValue(), b, rank));
        }
        if (!bs.isEmpty()) {
            throw new TauLabException(file + ": '" + bs.values().iterator().next() + "' has no lora_A factor beside it");
        }
        if (pairs.isEmpty()) {
            throw new TauLabException(file + ": holds no LoRA factors");
        }
        return new LoraAdapter(folder, r, alpha, rslora, fan, pairs, alphaPattern);
    }

    /** {@code base_model.model.X.lora_A.weight} (or {@code .lora_A.default.weight}) → X; null for other names. */
    static String module(String name, String factor) {
        for (String tail : List.of(factor + ".weight", factor + ".default.weight")) {
            if (name.endsWith(tail)) {
                String m = name.substring(0, name.length() - tail.length());
                return m.startsWith(PREFIX) ? m.substring(PREFIX.length()) : m;
            }
        }
        return null;
    }

    /** The scale of one target's {@code B A}, as PEFT computes it: its alpha over its r (over √r with rsLoRA). */
    public double scale(Pair p) {
        double a = lookup(alphaPattern, p.module(), alpha);
        return rslora ? a / Math.sqrt(p.rank()) : a / p.rank();
    }

    /** PEFT's rank_pattern and alpha_pattern: module name (or a suffix of it, or a regex matching it whole) → value. */
    private static double lookup(Map<String, Double> pattern, String module, double otherwise) {
        for (Map.Entry<String, Double> e : pattern.entrySet()) {
            if (module.equals(e.getKey()) || module.endsWith("." + e.getKey()) || matchesWhole(e.getKey(), module)) {
                return e.getValue();
            }
        }
        return otherwise;
    }

    private static boolean matchesWhole(String regex, String module) {
        try {
            return java.util.regex.Pattern.compile(regex).matcher(module).matches();
        } catch (java.util.regex.PatternSyntaxException e) {
            return false;
        }
    }

    private static Map<String, Double> pattern(Map<?, ?> config, String key, Path folder) {
        Object v = config.get(key);
        Map<String, Double> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new TauLabException(folder.resolve(CONFIG) + ": '" + key + "' must be an object of module name to number");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof Number n) || n.doubleValue() <= 0) {
                throw new TauLabException(folder.resolve(CONFIG) + ": " + key + " of '" + e.getKey() + "' must be a positive number, got " + e.getValue());
            }
            out.put(String.valueOf(e.getKey()), n.doubleValue());
        }
        return out;
    }

    /** The model this adapter makes of {@code base}: its targets {@code W + s · B A}, every other tensor the base's. */
    public Weights onBase(Weights base) {
        Weights factors = Weights.load(folder.resolve(WEIGHTS));
        Map<String, TensorEntry> entries = new LinkedHashMap<>(base.entries());
        List<String> missing = new ArrayList<>();
        for (Pair p : pairs.values()) {
            TensorEntry w = base.entries().get(p.target());
            if (w == null) {
                missing.add(p.target());
                continue;
            }
            long[] sa = factors.entries().get(p.a()).shape();
            long[] sb = factors.entries().get(p.b()).shape();
            long[] expected = fanInFanOut ? new long[] {sa[1], sb[0]} : new long[] {sb[0], sa[1]};
            if (!w.isMatrix() || !Arrays.equals(w.shape(), expected)) {
                throw new TauLabException(folder + ": target '" + p.target() + "' of the base is " + Arrays.toString(w.shape())
                        + ", but its adapter's B A is " + Arrays.toString(expected));
            }
            float s = (float) scale(p);
            entries.put(p.target(), TensorEntry.floating(p.target(), w.dtype(), w.shape(), m -> {
                NDArray delta = factors.compute(p.b(), m).matMul(factors.compute(p.a(), m));
                if (fanInFanOut) {
                    delta = delta.transpose().duplicate();
                }
                return base.compute(p.target(), m).addi(delta.muli(s));
            }));
        }
        if (!missing.isEmpty()) {
            throw new TauLabException(folder + ": the base has no tensor '" + missing.get(0) + "' for the adapter's module"
                    + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : "") + "; is it the adapter's base model?");
        }
        return new Weights(entries, Map.of(), folder.getFileName().toString());
    }

    private static int positiveInt(Map<?, ?> config, String key, Path folder) {
        if (config.get(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() > 0) {
            return n.intValue();
        }
        throw new TauLabException(folder.resolve(CONFIG) + ": '" + key + "' must be a positive whole number, got " + config.get(key));
    }
}
