package org.taulab.dsl.learn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * The named parameters of a learned merge with their defaults: {@link #with} takes a value by name (numbers,
 * "8%" strings, booleans, words), converts it to the default's type and rejects unknown names with the list of
 * known ones.
 */
public final class LearnOptions {
    private final String method;
    private final Map<String, Object> values;

    public LearnOptions(String method, Map<String, Object> defaults) {
        this.method = method;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    }

    public LearnOptions with(String name, Object value) {
        Object current = values.get(name);
        if (current == null) {
            throw new TauLabException(method + ": unknown parameter '" + name + "' (parameters: " + String.join(", ", values.keySet()) + ")");
        }
        Map<String, Object> next = new LinkedHashMap<>(values);
        next.put(name, convert(name, current, value));
        return new LearnOptions(method, next);
    }

    private Object convert(String name, Object current, Object value) {
        String text = String.valueOf(value).trim();
        try {
            if (current instanceof Double) {
                double d = value instanceof Number n ? n.doubleValue()
                        : text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1)) / 100 : Double.parseDouble(text);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
            if (current instanceof Integer) {
                double d = value instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
                if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                return (int) d;
            }
            if (current instanceof Long) {
                return value instanceof Number n ? n.longValue() : Long.parseLong(text);
            }
            if (current instanceof Boolean) {
                if (value instanceof Boolean b) {
                    return b;
                }
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(text);
                }
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new TauLabException(method + ": parameter " + name + " must be " + kind(current) + ", got '" + text + "'");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static String kind(Object current) {
        return current instanceof Double ? "a number" : current instanceof Boolean ? "true or false" : "an integer";
    }

    public double number(String name) {
        return (Double) values.get(name);
    }

    public int integer(String name) {
        return (Integer) values.get(name);
    }

    public long seed(String name) {
        return (Long) values.get(name);
    }

    public boolean flag(String name) {
        return (Boolean) values.get(name);
    }

    /** A word parameter, checked against its allowed values. */
    public String choice(String name, String... allowed) {
        String v = (String) values.get(name);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new TauLabException(method + ": parameter " + name + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }

    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
