package org.taulab.kernel.tau;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;

/**
 * The operators of {@code %%tau} code, dispatched on the runtime types of their operands. Translated
 * code calls these with the operator's line and column, which a meaningless combination reports.
 * Integers stay integers under {@code + - *}; {@code /} always gives a double.
 */
public final class TauOps {
    private TauOps() {
    }

    public static Object add(int line, int column, Object x, Object y) {
        if (x instanceof Number p && y instanceof Number q) {
            return integral(p) && integral(q) ? (Object) (p.longValue() + q.longValue()) : (Object) (p.doubleValue() + q.doubleValue());
        }
        if (x instanceof Weights w && y instanceof TaskVector v) {
            return w.plus(v);
        }
        if (x instanceof TaskVector v && y instanceof Weights w) {
            return w.plus(v);
        }
        if (x instanceof TaskVector v && y instanceof TaskVector u) {
            return v.plus(u);
        }
        if (x instanceof Weights w && y instanceof Weights u) {
            return w.plus(u);
        }
        if (x instanceof String s && y instanceof String t) {
            return s + t;
        }
        throw mismatch(line, column, "add", x, y);
    }

    public static Object subtract(int line, int column, Object x, Object y) {
        if (x instanceof Number p && y instanceof Number q) {
            return integral(p) && integral(q) ? (Object) (p.longValue() - q.longValue()) : (Object) (p.doubleValue() - q.doubleValue());
        }
        if (x instanceof Weights w && y instanceof TaskVector v) {
            return w.minus(v);
        }
        if (x instanceof Weights w && y instanceof Weights u) {
            return w.minus(u);
        }
        if (x instanceof TaskVector v && y instanceof TaskVector u) {
            return v.minus(u);
        }
        throw mismatch(line, column, "subtract", y, x, " from ");
    }

    public static Object multiply(int line, int column, Object x, Object y) {
        if (x instanceof Number p && y instanceof Number q) {
            return integral(p) && integral(q) ? (Object) (p.longValue() * q.longValue()) : (Object) (p.doubleValue() * q.doubleValue());
        }
        if (x instanceof Number p) {
            Object scaled = scale(y, p.doubleValue());
            if (scaled != null) {
                return scaled;
            }
        }
        if (y instanceof Number q) {
            Object scaled = scale(x, q.doubleValue());
            if (scaled != null) {
                return scaled;
            }
        }
        throw mismatch(line, column, "multiply", x, y, " by ");
    }

    public static Object divide(int line, int column, Object x, Object y) {
        if (y instanceof Number q) {
            if (q.doubleValue() == 0 && !(x instanceof Number)) {
                throw new TauError(line, column, "division by zero");
            }
            if (x instanceof Number p) {
                return p.doubleValue() / q.doubleValue();
            }
            if (x instanceof TaskVector v) {
                return v.divide(q.doubleValue());
            }
            if (x instanceof Weights w) {
                return w.divide(q.doubleValue());
            }
        }
        throw mismatch(line, column, "divide", x, y, " by ");
    }

    public static Object negate(int line, int column, Object x) {
        if (x instanceof Long n) {
            return -n;
        }
        if (x instanceof Integer n) {
            return (long) -n;
        }
        if (x instanceof Number n) {
            return -n.doubleValue();
        }
        if (x instanceof TaskVector v) {
            return v.neg();
        }
        throw new TauError(line, column, "cannot negate " + describe(x)
                + (x instanceof Weights ? " (negate a task vector, e.g. -tau(ft))" : ""));
    }

    /** A list literal; its items may be of any type. */
    public static List<Object> list(Object... items) {
        List<Object> out = new ArrayList<>(items.length);
        for (Object item : items) {
            out.add(item);
        }
        return Collections.unmodifiableList(out);
    }

    private static Object scale(Object value, double factor) {
        if (value instanceof TaskVector v) {
            return v.times(factor);
        }
        if (value instanceof Weights w) {
            return w.times(factor);
        }
        return null;
    }

    private static boolean integral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    private static TauError mismatch(int line, int column, String verb, Object x, Object y) {
        return mismatch(line, column, verb, x, y, " and ");
    }

    private static TauError mismatch(int line, int column, String verb, Object x, Object y, String joiner) {
        return new TauError(line, column, "cannot " + verb + " " + describe(x) + joiner + describe(y));
    }

    /** "a TaskVector", "the number 3", "a String": how an operand is named in errors. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number n) {
            return "the number " + n;
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        String name = value.getClass().getSimpleName();
        return ("AEIOU".indexOf(name.isEmpty() ? 'x' : name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }
}
