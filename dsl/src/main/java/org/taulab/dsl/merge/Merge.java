package org.taulab.dsl.merge;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.io.Json;
import org.taulab.dsl.tensor.Weights;

/**
 * A training-free merge with named parameters, described by its catalogue entry ({@link #spec}). Implementations
 * are immutable: {@link #with} returns a copy with one parameter changed, which is how searches sweep them.
 */
public interface Merge {
    /** Its catalogue entry: name, parameters with defaults and ranges, whether it needs a base. */
    MergeMethod spec();

    /** The method's name, e.g. {@code task-arithmetic}. */
    default String method() {
        return spec().name();
    }

    /** Every parameter and its current value, in the entry's order (values parse back through the entry). */
    Map<String, Object> parameters();

    /** A copy with {@code parameter} set to {@code value}; unknown names and bad values are errors naming them. */
    default Merge with(String parameter, Object value) {
        return spec().with(this, parameter, value);
    }

    /** The merged weights (lazy: tensors are computed when read or saved). */
    Weights merge(MergeInputs inputs);

    /** The merge as a result that knows its method, parameters and inputs (saving records their provenance). */
    default MergeResult apply(MergeInputs inputs) {
        return new MergeResult(this, inputs, merge(inputs));
    }

    /** Metadata recorded in a merged file: the method and its parameters as JSON. */
    default Map<String, String> metadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("taulab.method", method());
        Map<String, Object> printable = new LinkedHashMap<>();
        parameters().forEach((k, v) -> printable.put(k, v == null ? null : v instanceof Number || v instanceof Boolean ? v : ParamSpec.text(v)));
        meta.put("taulab.parameters", Json.write(printable));
        return meta;
    }
}
