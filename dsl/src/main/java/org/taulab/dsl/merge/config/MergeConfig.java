package org.taulab.dsl.merge.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeMethod;

/**
 * A merge written as a file, in mergekit's vocabulary where the meaning is the same:
 * <pre>
 * merge_method: ties            # a catalogue name (taulab merge --list)
 * base_model: pre               # a .safetensors file, a model folder or its index; relative to this file
 * models:
 *   - model: math               # listing the base model here too is allowed (it is skipped, as mergekit does)
 *     parameters: {weight: 0.5} # this model's λ (weight or lambda)
 *   - model: code
 * parameters:                   # the method's parameters (mergekit's density, gamma are understood)
 *   density: 0.2                # one value,
 *   lambda: [0.5, 1.0]          # numbers interpolated across the layers,
 *   # or: [{filter: "self_attn", value: 0.8}, {value: 1.0}]   the first regex found in the tensor's name decides
 * dtype: bfloat16               # of the output (f32 by default; keep: each tensor's input dtype)
 * shard_size: 5GB               # write a model folder with shards of at most this size
 * tokenizer_source: base        # the folder whose config and tokenizer files go with the output (base: the base's)
 * </pre>
 * Every field is checked when read; a wrong one is an error naming the file, the line and the field.
 */
public record MergeConfig(Path file, String method, int methodLine, Path base, List<ModelEntry> models,
                          Map<String, Field> parameters, String dtype, String shardSize, Path filesFrom) {
    private static final List<String> TOP = List.of("merge_method", "base_model", "models", "parameters", "dtype", "shard_size",
            "out_shard_size", "tokenizer_source", "files_from");

    /** One fine-tuned model and its own λ (null: the global one). */
    public record ModelEntry(Path path, Field weight, int line) {
    }

    /** A parameter as written: its value (one, a gradient, or filtered) and where. */
    public record Field(String name, ParamValue value, int line) {
    }

    public static MergeConfig read(Path file) {
        YamlNode root = YamlNode.read(file);
        Errors err = new Errors(file);
        if (!root.isMap()) {
            throw err.at(root.line(), "", "a merge config is a mapping (merge_method:, base_model:, models:, parameters:)");
        }
        for (Map.Entry<String, YamlNode> e : root.fields().entrySet()) {
            if (!TOP.contains(e.getKey())) {
                throw err.at(root.lineOf(e.getKey()), e.getKey(), "is not a field of a merge config (fields: " + String.join(", ", TOP) + ")");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        String method = null;
        int methodLine = 0;
        YamlNode m = root.fields().get("merge_method");
        if (m != null) {
            method = string(m, "merge_method", err);
            methodLine = m.line();
            if (MergeCatalogue.find(method) == null) {
                throw err.at(m.line(), "merge_method", "'" + method + "' is not a merge (" + String.join(", ", MergeCatalogue.names()) + ")");
            }
        }
        YamlNode b = root.fields().get("base_model");
        Path base = b == null || b.scalar() == null ? null : dir.resolve(string(b, "base_model", err));
        YamlNode ms = root.fields().get("models");
        if (ms == null || !ms.isList() || ms.items().isEmpty()) {
            throw err.at(ms == null ? root.line() : root.lineOf("models"), "models", "needs a list of the fine-tuned models (- model: PATH)");
        }
        List<ModelEntry> models = new ArrayList<>();
        for (int i = 0; i < ms.items().size(); i++) {
            YamlNode item = ms.items().get(i);
            String where = "models[" + (i + 1) + "]";
            if (!item.isMap() || !item.fields().containsKey("model")) {
                throw err.at(item.line(), where, "needs 'model: PATH' (and optionally 'parameters: {weight: X}')");
            }
            for (String k : item.fields().keySet()) {
                if (!k.equals("model") && !k.equals("parameters")) {
                    throw err.at(item.lineOf(k), where + "." + k, "is not a field of a model (model, parameters)");
                }
            }
            Path path = dir.resolve(string(item.fields().get("model"), where + ".model", err));
            Field weight = null;
            YamlNode params = item.fields().get("parameters");
            if (params != null) {
                if (!params.isMap()) {
                    throw err.at(params.line(), where + ".parameters", "is a mapping (weight: X)");
                }
                for (Map.Entry<String, YamlNode> p : params.fields().entrySet()) {
                    if (!p.getKey().equals("weight") && !p.getKey().equals("lambda")) {
                        throw err.at(params.lineOf(p.getKey()), where + ".parameters." + p.getKey(),
                                "is not a per-model parameter here: a model takes its own weight (or lambda); give the method's other parameters once, under the top-level parameters:");
                    }
                    weight = new Field(where + ".parameters." + p.getKey(), value(p.getValue(), where + ".parameters." + p.getKey(), err), params.lineOf(p.getKey()));
                }
            }
            if (base != null && path.normalize().equals(base.normalize())) {
                continue;  // mergekit lists the base among the models; it has no task vector of its own
            }
            models.add(new ModelEntry(path, weight, item.line()));
        }
        if (models.isEmpty()) {
            throw err.at(root.lineOf("models"), "models", "lists only the base model; name the fine-tuned models to merge");
        }
        Map<String, Field> parameters = new LinkedHashMap<>();
        YamlNode ps = root.fields().get("parameters");
        if (ps != null && ps.scalar() != null || ps != null && ps.isList()) {
            throw err.at(ps.line(), "parameters", "is a mapping of the method's parameters (density: 0.2, lambda: 1, …)");
        }
        if (ps != null && ps.isMap()) {
            for (Map.Entry<String, YamlNode> p : ps.fields().entrySet()) {
                String where = "parameters." + p.getKey();
                parameters.put(p.getKey(), new Field(where, value(p.getValue(), where, err), ps.lineOf(p.getKey())));
            }
        }
        String dtype = optionalString(root, "dtype", err);
        String shard = root.fields().containsKey("shard_size") ? optionalString(root, "shard_size", err) : optionalString(root, "out_shard_size", err);
        String from = root.fields().containsKey("tokenizer_source") ? optionalString(root, "tokenizer_source", err) : optionalString(root, "files_from", err);
        Path filesFrom = from == null ? null : from.equals("base") ? base : dir.resolve(from);
        return new MergeConfig(file, method, methodLine, base, List.copyOf(models), parameters, dtype, shard, filesFrom);
    }

    /** The method: the config's, or the one the command line names (they must agree when both are given). */
    public MergeMethod method(String named) {
        if (named != null && method != null && !MergeCatalogue.require(named).answersTo(method) && !MergeCatalogue.require(method).answersTo(named)) {
            throw new Errors(file).at(methodLine, "merge_method", "says " + method + ", but the command names " + named);
        }
        String m = named != null ? named : method;
        if (m == null) {
            throw new ConfigError(file + ": no merge_method (name one here or on the command line)");
        }
        return MergeCatalogue.require(m);
    }

    private static String optionalString(YamlNode root, String key, Errors err) {
        YamlNode n = root.fields().get(key);
        return n == null || n.scalar() == null ? null : string(n, key, err);
    }

    private static String string(YamlNode n, String where, Errors err) {
        if (!n.isScalar() || n.scalar() == null || n.scalar() instanceof Boolean) {
            throw err.at(n.line(), where, "needs a single value");
        }
        return String.valueOf(n.scalar());
    }

    /** A parameter's value: a scalar, a list of numbers (a gradient), or a list of {filter, value} rules. */
    static ParamValue value(YamlNode n, String where, Errors err) {
        if (n.isScalar()) {
            if (n.scalar() == null) {
                throw err.at(n.line(), where, "has no value");
            }
            return new ParamValue.Constant(n.scalar() instanceof Number num ? (Object) num.doubleValue() : n.scalar());
        }
        if (n.isMap()) {
            throw err.at(n.line(), where, "takes a value, a list of numbers across the layers, or a list of {filter: REGEX, value: X}");
        }
        if (n.items().isEmpty()) {
            throw err.at(n.line(), where, "is an empty list");
        }
        if (n.items().stream().allMatch(i -> i.isScalar() && i.scalar() instanceof Number)) {
            return new ParamValue.Gradient(n.items().stream().map(i -> ((Number) i.scalar()).doubleValue()).toList());
        }
        List<ParamValue.Rule> rules = new ArrayList<>();
        for (YamlNode item : n.items()) {
            if (!item.isMap() || !item.fields().containsKey("value")) {
                throw err.at(item.line(), where, "mixes kinds: a list is all numbers (a gradient) or all {filter: REGEX, value: X}");
            }
            for (String k : item.fields().keySet()) {
                if (!k.equals("filter") && !k.equals("value")) {
                    throw err.at(item.lineOf(k), where + "." + k, "is not filter or value");
                }
            }
            Pattern filter = null;
            YamlNode f = item.fields().get("filter");
            if (f != null) {
                String regex = string(f, where + ".filter", err);
                try {
                    filter = Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw err.at(f.line(), where + ".filter", "'" + regex + "' is not a regex (" + e.getDescription() + ")");
                }
            }
            YamlNode v = item.fields().get("value");
            if (v.isList() && !v.items().stream().allMatch(i -> i.isScalar() && i.scalar() instanceof Number)) {
                throw err.at(v.line(), where + ".value", "is a value or a list of numbers");
            }
            rules.add(new ParamValue.Rule(filter, value(v, where + ".value", err)));
        }
        return new ParamValue.Filtered(List.copyOf(rules), where, n.line());
    }

    /** A config that cannot be run as written (a usage error, not a data error). */
    public static final class ConfigError extends TauLabException {
        public ConfigError(String message) {
            super(message);
        }
    }

    /** Errors as one line: {@code FILE:LINE: FIELD: what is wrong}. */
    record Errors(Path file) {
        ConfigError at(int line, String field, String message) {
            return new ConfigError(file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + message);
        }
    }
}
