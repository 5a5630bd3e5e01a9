package org.taulab.dsl.merge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.Json;
import org.taulab.dsl.merge.BadParameter;
import org.taulab.dsl.merge.Merge;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.MergeMethod;
import org.taulab.dsl.merge.MergeResult;
import org.taulab.dsl.merge.ParamSpec;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * Runs a {@link MergeConfig}: each float tensor gets the parameters its config gives it (a value, the value of its
 * layer on a gradient, or the first filter its name matches), and is merged as the whole model would be with those
 * parameters; tensors that share a parameter set share one merge (its averages, decompositions and thresholds). The
 * result records the method, the parameters (those of every tensor when they agree), and the config's text.
 */
public final class ConfiguredMerge {
    private ConfiguredMerge() {
    }

    public static MergeResult run(MergeConfig config, MergeMethod method) {
        return run(config, method, false);
    }

    /** With {@code oneShot}, decompositions are dropped as each tensor is written (a single merge to disk). */
    public static MergeResult run(MergeConfig config, MergeMethod method, boolean oneShot) {
        MergeConfig.Errors err = new MergeConfig.Errors(config.file());
        if (method.needsBase() && config.base() == null) {
            throw err.at(1, "base_model", method.name() + " merges task vectors: name the pretrained model (base_model: PATH)");
        }
        if (method.models() > 0 && config.models().size() != method.models()) {
            throw err.at(config.models().get(0).line(), "models", method.name() + " merges exactly " + method.models() + " models, got " + config.models().size());
        }
        boolean perModel = config.models().stream().anyMatch(m -> m.weight() != null);
        if (perModel && !method.needsBase()) {
            MergeConfig.ModelEntry first = config.models().stream().filter(m -> m.weight() != null).findFirst().orElseThrow();
            throw err.at(first.weight().line(), first.weight().name(), method.name() + " merges without a base: there are no task vectors to weight");
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (MergeConfig.Field f : config.parameters().values()) {
            names.put(f.name(), parameterName(method, f, err));
        }
        Weights base = config.base() == null ? null : Weights.load(config.base());
        List<Weights> fts = new ArrayList<>();
        List<String> tasks = new ArrayList<>();
        for (MergeConfig.ModelEntry m : config.models()) {
            fts.add(org.taulab.dsl.lora.LoraAdapter.modelOrAdapter(m.path(), base));
            String task = m.path().getFileName().toString().replaceFirst("\\.safetensors$", "");
            tasks.add(tasks.contains(task) ? task + "#" + (tasks.size() + 1) : task);
        }
        MergeInputs in = new MergeInputs(base, fts, tasks);
        if (oneShot) {
            in.oneShot();
        }
        Weights layout = in.layout();
        Map<String, TensorPlace> places = TensorPlace.of(new ArrayList<>(layout.entries().keySet()));
        double defaultLambda = method.param("lambda") == null ? 1 : ((Number) method.param("lambda").defaultValue()).doubleValue();

        Map<String, Merge> merges = new LinkedHashMap<>();
        Map<String, String> keyOf = new LinkedHashMap<>();
        for (TensorEntry e : layout.entries().values()) {
            if (!e.isFloat()) {
                continue;
            }
            TensorPlace place = places.get(e.name());
            Map<String, Object> params = new LinkedHashMap<>();
            for (MergeConfig.Field f : config.parameters().values()) {
                Object v = f.value().at(place);
                if (v == null) {
                    throw err.at(f.line(), f.name(), "no entry matches tensor '" + e.name() + "' (end the list with {value: X}, which matches every tensor)");
                }
                params.put(names.get(f.name()), translated(f, names.get(f.name()), v, err));
            }
            if (perModel) {
                List<Double> lambdas = new ArrayList<>();
                double global = params.get("lambda") instanceof Number n ? n.doubleValue() : defaultLambda;
                for (MergeConfig.ModelEntry m : config.models()) {
                    lambdas.add(m.weight() == null ? global : number(m.weight(), m.weight().value().at(place), err));
                }
                params.put("lambda", lambdas);
            }
            String key = params.toString();
            keyOf.put(e.name(), key);
            if (!merges.containsKey(key)) {
                merges.put(key, create(method, params, config, names, err));
            }
        }
        Map<String, Weights> mergedByKey = new LinkedHashMap<>();
        merges.forEach((key, merge) -> mergedByKey.put(key, merge.merge(in)));
        Weights first = mergedByKey.values().iterator().next();
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (TensorEntry e : layout.entries().values()) {
            entries.put(e.name(), e.isFloat() ? mergedByKey.get(keyOf.get(e.name())).entries().get(e.name()) : first.entries().get(e.name()));
        }
        Map<String, Object> recorded = merges.size() == 1 ? merges.values().iterator().next().parameters()
                : Map.of("per_tensor", merges.size() + " parameter sets (see taulab.config)");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("taulab.method", method.name());
        Map<String, Object> printable = new LinkedHashMap<>();
        recorded.forEach((k, v) -> printable.put(k, v instanceof Number || v instanceof Boolean ? v : ParamSpec.text(v)));
        metadata.put("taulab.parameters", Json.write(printable));
        metadata.put("taulab.config", text(config.file()));
        return new MergeResult(method.name(), recorded, new Weights(entries, metadata, method.name() + " (" + config.file().getFileName() + ")"),
                in, Map.of("parameter_sets", merges.size()));
    }

    /** The catalogue's name of a config parameter: its own, or mergekit's (density, gamma, weight) where the meaning is the same. */
    static String parameterName(MergeMethod method, MergeConfig.Field f, MergeConfig.Errors err) {
        String key = f.name().substring(f.name().indexOf('.') + 1);
        ParamSpec own = method.param(key);
        if (own != null) {
            return own.name();
        }
        String mapped = switch (key) {
            case "density" -> method.param("topk") != null ? "topk" : method.param("drop") != null ? "drop" : null;
            case "gamma" -> method.param("beta") != null ? "beta" : null;
            case "weight" -> method.param("lambda") != null ? "lambda" : null;
            default -> null;
        };
        if (mapped == null) {
            List<String> known = new ArrayList<>();
            method.params().forEach(p -> known.add(p.name()));
            throw err.at(f.line(), f.name(), "is not a parameter of " + method.name() + " ("
                    + (known.isEmpty() ? "it takes none" : "parameters: " + String.join(", ", known)) + ")");
        }
        return mapped;
    }

    /** mergekit's density is the fraction kept; DARE's drop is the fraction dropped. */
    private static Object translated(MergeConfig.Field f, String name, Object v, MergeConfig.Errors err) {
        String key = f.name().substring(f.name().indexOf('.') + 1);
        if (key.equals("density") && name.equals("drop")) {
            return 1 - number(f, v, err);
        }
        return v;
    }

    private static double number(MergeConfig.Field f, Object v, MergeConfig.Errors err) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw err.at(f.line(), f.name(), "needs a number, got '" + v + "'");
    }

    private static Merge create(MergeMethod method, Map<String, Object> params, MergeConfig config, Map<String, String> names, MergeConfig.Errors err) {
        try {
            return method.create(params);
        } catch (BadParameter e) {
            String name = e.parameter().name();
            for (MergeConfig.Field f : config.parameters().values()) {
                if (names.get(f.name()).equals(name)) {
                    throw err.at(f.line(), f.name(), e.reason() + (e.value() == null ? "" : ", got '" + ParamSpec.text(e.value()) + "'"));
                }
            }
            for (MergeConfig.ModelEntry m : config.models()) {
                if (m.weight() != null && name.equals("lambda")) {
                    throw err.at(m.weight().line(), m.weight().name(), e.reason());
                }
            }
            throw err.at(1, name, e.reason());
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
