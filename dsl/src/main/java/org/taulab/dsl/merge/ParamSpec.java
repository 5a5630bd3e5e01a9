package org.taulab.dsl.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.taulab.dsl.linalg.Rank;
import org.taulab.dsl.tensor.Selector;

/**
 * One typed parameter of a merge: its name (the one spelling every front door uses, with optional aliases), its
 * kind, default, range and a one-line doc. {@link #parse} turns what a user wrote (a number, a string from the
 * command line, a DSL value) into the typed value the merge's factory reads, or names what is wrong.
 */
public record ParamSpec(String name, Kind kind, Object defaultValue, double min, double max, List<String> choices,
                        String doc, List<String> aliases) {
    /** What a parameter holds. */
    public enum Kind {
        /** A finite double in [min, max]. */
        NUMBER,
        /** A whole number in [min, max]. */
        INTEGER,
        /** true or false (a flag on the command line). */
        BOOLEAN,
        /** One of {@link #choices}, case-insensitive. */
        CHOICE,
        /** A {@link Rank}: a ratio in [0, 1] or an absolute k. */
        RANK,
        /** A {@link Selector} of matrices (a regex on the command line and in the DSL). */
        SELECTOR,
        /** One number for every task, or one per task, each in [min, max]. */
        NUMBERS,
        /** A name, such as the task whose model to write; its default may be null (none given). */
        TEXT
    }

    public ParamSpec {
        choices = List.copyOf(choices);
        aliases = List.copyOf(aliases);
    }

    public static ParamSpec number(String name, double defaultValue, double min, double max, String doc) {
        return new ParamSpec(name, Kind.NUMBER, defaultValue, min, max, List.of(), doc, List.of());
    }

    /** The scaling coefficient λ every method that has one calls {@code lambda}: any finite number. */
    public static ParamSpec lambda(double defaultValue) {
        return number("lambda", defaultValue, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "scaling coefficient λ");
    }

    public static ParamSpec integer(String name, int defaultValue, int min, int max, String doc) {
        return new ParamSpec(name, Kind.INTEGER, defaultValue, min, max, List.of(), doc, List.of());
    }

    public static ParamSpec flag(String name, String doc) {
        return new ParamSpec(name, Kind.BOOLEAN, false, 0, 1, List.of(), doc, List.of());
    }

    public static ParamSpec choice(String name, String defaultValue, List<String> choices, String doc) {
        return new ParamSpec(name, Kind.CHOICE, defaultValue, 0, 0, choices, doc, List.of());
    }

    public static ParamSpec rank(String name, double defaultRatio, String doc) {
        return new ParamSpec(name, Kind.RANK, Rank.ratio(defaultRatio), 0, Double.POSITIVE_INFINITY, List.of(), doc, List.of());
    }

    public static ParamSpec selector(String name, String doc) {
        return new ParamSpec(name, Kind.SELECTOR, Selector.defaultMatrices(), 0, 0, List.of(), doc, List.of());
    }

    public static ParamSpec numbers(String name, double defaultValue, double min, double max, String doc) {
        return new ParamSpec(name, Kind.NUMBERS, List.of(defaultValue), min, max, List.of(), doc, List.of());
    }

    /** A name with no default: the merge says what it needs when it is missing. */
    public static ParamSpec text(String name, String doc) {
        return text(name, null, doc);
    }

    public static ParamSpec text(String name, String defaultValue, String doc) {
        return new ParamSpec(name, Kind.TEXT, defaultValue, 0, 0, List.of(), doc, List.of());
    }

    /** The same parameter, also accepted under {@code names} (older spellings). */
    public ParamSpec alias(String... names) {
        List<String> all = new ArrayList<>(aliases);
        all.addAll(List.of(names));
        return new ParamSpec(name, kind, defaultValue, min, max, choices, doc, all);
    }

    /** Whether {@code spelling} names this parameter. */
    public boolean answersTo(String spelling) {
        return name.equals(spelling) || aliases.contains(spelling);
    }

    /** Its command-line option: {@code --min-agree} for {@code min_agree}. */
    public String option() {
        return option(name);
    }

    static String option(String spelling) {
        return "--" + spelling.replace('_', '-');
    }

    /** The default as a user would write it. */
    public String defaultText() {
        return defaultValue == null ? "none" : text(defaultValue);
    }

    /** A value as a user would write it (a rank as 0.08 or 16, a selector as its description). */
    public static String text(Object value) {
        if (value instanceof Rank r) {
            return r.isRatio() ? trim(r.ratio()) : Integer.toString(r.absolute());
        }
        if (value instanceof Double d) {
            return trim(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ParamSpec::text).collect(java.util.stream.Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** The accepted values in words, for help texts: {@code a number in [0, 1]}. */
    public String rangeText() {
        return switch (kind) {
            case NUMBER -> "a number" + bounds();
            case INTEGER -> "a whole number" + bounds();
            case BOOLEAN -> "true or false";
            case CHOICE -> String.join(" or ", choices);
            case RANK -> "a ratio in [0, 1] or a whole number k";
            case SELECTOR -> "a regex on tensor names (2-D tensors only)";
            case NUMBERS -> "a number" + bounds() + ", or one per task";
            case TEXT -> "a name";
        };
    }

    private String bounds() {
        boolean low = min != Double.NEGATIVE_INFINITY;
        boolean high = max != Double.POSITIVE_INFINITY;
        if (low && high) {
            return " in [" + trim(min) + ", " + trim(max) + "]";
        }
        return low ? " ≥ " + trim(min) : high ? " ≤ " + trim(max) : "";
    }

    /** The typed value of {@code value} for this parameter; a {@link BadParameter} says what is wrong. */
    public Object parse(String method, Object value) {
        if (value == null) {
            throw bad(method, null, "is missing");
        }
        return switch (kind) {
            case NUMBER -> inRange(method, value, toNumber(method, value));
            case INTEGER -> {
                double v = inRange(method, value, toNumber(method, value));
                if (v != Math.rint(v)) {
                    throw bad(method, value, "must be a whole number");
                }
                yield (int) v;
            }
            case BOOLEAN -> toBoolean(method, value);
            case CHOICE -> {
                String s = String.valueOf(value).toLowerCase(Locale.ROOT);
                if (!choices.contains(s)) {
                    throw bad(method, value, "must be " + String.join(" or ", choices));
                }
                yield s;
            }
            case RANK -> {
                try {
                    yield Rank.parse(value);
                } catch (org.taulab.dsl.TauLabException e) {
                    throw bad(method, value, "must be a ratio in [0, 1] or a whole number k");
                }
            }
            case SELECTOR -> {
                if (value instanceof Selector s) {
                    yield s;
                }
                try {
                    yield Selector.matrices(String.valueOf(value));
                } catch (org.taulab.dsl.TauLabException e) {
                    throw bad(method, value, "is not a valid regex");
                }
            }
            case NUMBERS -> {
                List<Double> out = new ArrayList<>();
                if (value instanceof List<?> list) {
                    if (list.isEmpty()) {
                        throw bad(method, value, "needs at least one number");
                    }
                    for (Object v : list) {
                        out.add(inRange(method, v, toNumber(method, v)));
                    }
                } else {
                    for (String part : String.valueOf(value).split(",", -1)) {
                        out.add(inRange(method, value, toNumber(method, part.strip())));
                    }
                }
                yield List.copyOf(out);
            }
            case TEXT -> {
                String s = String.valueOf(value).strip();
                if (s.isEmpty()) {
                    throw bad(method, value, "must not be empty");
                }
                yield s;
            }
        };
    }

    private double toNumber(String method, Object value) {
        double v;
        if (value instanceof Number n) {
            v = n.doubleValue();
        } else {
            try {
                v = Double.parseDouble(String.valueOf(value).strip());
            } catch (NumberFormatException e) {
                throw bad(method, value, "must be a number");
            }
        }
        if (!Double.isFinite(v)) {
            throw bad(method, value, "must be a finite number");
        }
        return v;
    }

    private double inRange(String method, Object value, double v) {
        if (v < min || v > max) {
            throw bad(method, value, "must be" + bounds());
        }
        return v;
    }

    private boolean toBoolean(String method, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(value).strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw bad(method, value, "must be true or false");
        };
    }

    private BadParameter bad(String method, Object value, String reason) {
        return new BadParameter(method, this, value, reason);
    }
}
