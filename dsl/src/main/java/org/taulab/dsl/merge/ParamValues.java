package org.taulab.dsl.merge;

import java.util.List;
import java.util.Map;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.tensor.Selector;

/** The parsed value of every parameter of one merge (defaults filled in), read by the merge's factory. */
public record ParamValues(Map<String, Object> values) {
    public double number(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public int integer(String name) {
        return ((Number) get(name)).intValue();
    }

    public boolean flag(String name) {
        return (Boolean) get(name);
    }

    public String choice(String name) {
        return (String) get(name);
    }

    public Rank rank(String name) {
        return (Rank) get(name);
    }

    public Selector selector(String name) {
        return (Selector) get(name);
    }

    /** A name, or null when none was given. */
    public String text(String name) {
        return (String) values.get(name);
    }

    @SuppressWarnings("unchecked")
    public List<Double> numbers(String name) {
        return (List<Double>) get(name);
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return v;
    }
}
