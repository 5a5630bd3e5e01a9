package org.taulab.kernel.tau;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/** A call's arguments bound to parameter names, with typed access that names the culprit on error. */
public final class Args {
    private final String function;
    private final Map<String, Object> values;

    Args(String function, Map<String, Object> values) {
        this.function = function;
        this.values = values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Object get(String name) {
        return values.get(name);
    }

    /** Every argument given, by name (the named ones of a merge become its parameters). */
    public Map<String, Object> all() {
        return values;
    }

    public Weights weights(String name) {
        return as(name, values.get(name), Weights.class);
    }

    public TaskVector taskVector(String name) {
        return as(name, values.get(name), TaskVector.class);
    }

    public double number(String name, double fallback) {
        Object v = values.get(name);
        return v == null ? fallback : as(name, v, Number.class).doubleValue();
    }

    public String text(String name) {
        return as(name, values.get(name), String.class);
    }

    /** A list argument whose items are all of type {@code type}. */
    public <T> List<T> list(String name, Class<T> type) {
        Object v = values.get(name);
        if (!(v instanceof List<?> items)) {
            throw new TauLabException(function + ": " + name + " must be a list, got " + TauOps.describe(v));
        }
        List<T> out = new ArrayList<>();
        for (Object item : items) {
            if (!type.isInstance(item)) {
                throw new TauLabException(function + ": " + name + " must be a list of " + type.getSimpleName()
                        + ", but one item is " + TauOps.describe(item));
            }
            out.add(type.cast(item));
        }
        return out;
    }

    private <T> T as(String name, Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw new TauLabException(function + ": " + name + " must be " + (type == Number.class ? "a number" : "a " + type.getSimpleName())
                    + ", got " + TauOps.describe(value));
        }
        return type.cast(value);
    }
}
