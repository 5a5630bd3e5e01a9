package org.taulab.dsl.merge;

import java.util.List;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Selector;

/** Conversions of parameter values given by name (from a grid, the DSL or the command line). */
final class Params {
    private Params() {
    }

    static double number(String method, String name, Object value) {
        double v;
        if (value instanceof Number n) {
            v = n.doubleValue();
        } else {
            try {
                v = Double.parseDouble(String.valueOf(value));
            } catch (NumberFormatException e) {
                throw new TauLabException(method + ": parameter " + name + " must be a number, got '" + value + "'");
            }
        }
        if (!Double.isFinite(v)) {
            throw new TauLabException(method + ": parameter " + name + " must be a finite number, got '" + value + "'");
        }
        return v;
    }

    static double fraction(String method, String name, Object value) {
        double v = number(method, name, value);
        if (!(v >= 0 && v <= 1)) {
            throw new TauLabException(method + ": parameter " + name + " must be in [0, 1], got " + v);
        }
        return v;
    }

    static Selector selector(String method, Object value) {
        if (value instanceof Selector s) {
            return s;
        }
        if (value instanceof String regex) {
            return Selector.matrices(regex);
        }
        throw new TauLabException(method + ": parameter select must be a regex or a Selector, got '" + value + "'");
    }

    static TauLabException unknown(String method, String name, List<String> known) {
        return new TauLabException(method + ": unknown parameter '" + name + "' (parameters: " + String.join(", ", known) + ")");
    }
}
