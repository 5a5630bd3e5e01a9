package org.taulab.dsl.merge;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.io.Json;
import org.taulab.dsl.tensor.Weights;

/**
 * A training-free merge with named parameters. Implementations are immutable: {@link #with} returns a
 * copy with one parameter changed, which is how searches sweep them.
 */
public interface Merge {
    /** The method's command-line name, e.g. {@code task-arithmetic}. */
    String method();

    /** Every parameter and its current value, in a stable order. */
    Map<String, Object> parameters();

    /** A copy with {@code parameter} set to {@code value}; unknown names are a {@link org.taulab.dsl.TauLabException}. */
    Merge with(String parameter, Object value);

    /** The merged weights (lazy: tensors are computed when read or saved). */
    Weights merge(MergeInputs inputs);

    default MergeResult apply(MergeInputs inputs) {
        return new MergeResult(method(), parameters(), merge(inputs));
    }

    /** Metadata recorded in a merged file: the method and its parameters as JSON. */
    default Map<String, String> metadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("taulab.method", method());
        Map<String, Object> printable = new LinkedHashMap<>();
        parameters().forEach((k, v) -> printable.put(k, v == null ? null : v instanceof Number || v instanceof Boolean ? v : v.toString()));
        meta.put("taulab.parameters", Json.write(printable));
        return meta;
    }
}
