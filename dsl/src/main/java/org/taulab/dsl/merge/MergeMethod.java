package org.taulab.dsl.merge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.taulab.dsl.TauLabException;

/**
 * A catalogue entry: everything the front doors need to offer one merge. Its {@code name} is the one spelling the
 * command line ({@code taulab merge NAME}), {@code %%tau} (as {@link #javaName}) and {@link org.taulab.Tau#merge}
 * use; {@code aliases} keep older spellings working; {@code models} is the number of fine-tuned models it takes
 * (0: any number). Each merge class declares its entry as
 * {@code public static final MergeMethod METHOD}, which is how {@link MergeCatalogue} finds it.
 */
public record MergeMethod(String name, List<String> aliases, boolean needsBase, int models, String summary, String source,
                          int order, List<ParamSpec> params, Function<ParamValues, Merge> factory) {
    public MergeMethod {
        aliases = List.copyOf(aliases);
        params = List.copyOf(params);
    }

    /** Starts an entry: {@code MergeMethod.named("ties").needsBase()...build(v -> ...)}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** The name in Java and {@code %%tau}: {@code task-arithmetic} is {@code taskArithmetic}. */
    public String javaName() {
        return camel(name);
    }

    /** {@code task-arithmetic} as {@code taskArithmetic}. */
    public static String camel(String kebab) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-' || c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    /** Whether {@code spelling} names this method: its name, its Java name, or an alias. */
    public boolean answersTo(String spelling) {
        return name.equals(spelling) || javaName().equals(spelling) || aliases.contains(spelling);
    }

    /** The parameter called {@code spelling} (or one of its aliases), or null. */
    public ParamSpec param(String spelling) {
        for (ParamSpec p : params) {
            if (p.answersTo(spelling)) {
                return p;
            }
        }
        return null;
    }

    /** The merge with every parameter at its default. */
    public Merge create() {
        return create(Map.of());
    }

    /**
     * The merge with the given parameters (by name or alias; each parsed and checked by its spec) and the
     * defaults for the rest. An unknown name is an error that lists the method's parameters. A list of λ gives one
     * per fine-tuned model ({@link PerModelLambdas}).
     */
    public Merge create(Map<String, ?> given) {
        for (Map.Entry<String, ?> e : given.entrySet()) {
            ParamSpec p = param(e.getKey());
            List<Double> perModel = p != null && p.name().equals("lambda") ? PerModelLambdas.parse(this, p, e.getValue()) : null;
            if (perModel != null) {
                Map<String, Object> one = new LinkedHashMap<>(given);
                one.remove(e.getKey());
                one.put("lambda", 1.0);
                return new PerModelLambdas(create(one), perModel);
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec p : params) {
            values.put(p.name(), p.defaultValue());
        }
        for (Map.Entry<String, ?> e : given.entrySet()) {
            ParamSpec p = param(e.getKey());
            if (p == null) {
                throw unknown(e.getKey());
            }
            values.put(p.name(), p.parse(name, e.getValue()));
        }
        Merge merge = factory.apply(new ParamValues(values));
        return needsBase ? LinesScaling.around(merge, ((Number) values.get(LinesScaling.ALPHA.name())).doubleValue(),
                ((Number) values.get(LinesScaling.BETA.name())).doubleValue()) : merge;
    }

    /** {@code merge} with one parameter changed (the generic {@link Merge#with}). */
    Merge with(Merge merge, String parameter, Object value) {
        ParamSpec p = param(parameter);
        if (p == null) {
            throw unknown(parameter);
        }
        Map<String, Object> values = new LinkedHashMap<>(merge.parameters());
        values.put(p.name(), value);
        return create(values);
    }

    private TauLabException unknown(String parameter) {
        List<String> names = new ArrayList<>();
        params.forEach(p -> names.add(p.name()));
        return new TauLabException(name + ": unknown parameter '" + parameter + "' ("
                + (names.isEmpty() ? "it takes none" : "parameters: " + String.join(", ", names)) + ")");
    }

    /** Builds a {@link MergeMethod}; every method states its summary and where it comes from. */
    public static final class Builder {
        private final String name;
        private final List<String> aliases = new ArrayList<>();
        private final List<ParamSpec> params = new ArrayList<>();
        private boolean needsBase;
        private int models;
        private String summary = "";
        private String source = "";
        private int order = 1000;

        private Builder(String name) {
            this.name = name;
        }

        public Builder alias(String... names) {
            aliases.addAll(List.of(names));
            return this;
        }

        public Builder needsBase() {
            needsBase = true;
            return this;
        }

        /** It merges exactly {@code n} models (SLERP: two). */
        public Builder models(int n) {
            models = n;
            return this;
        }

        public Builder summary(String s) {
            summary = s;
            return this;
        }

        public Builder source(String s) {
            source = s;
            return this;
        }

        /** Where the method is listed (lower first; the papers' seeds come first). */
        public Builder order(int o) {
            order = o;
            return this;
        }

        public Builder param(ParamSpec p) {
            params.add(p);
            return this;
        }

        /** The entry; a method that needs a base also takes the LiNeS modifier's parameters (see {@link LinesScaling}). */
        public MergeMethod build(Function<ParamValues, Merge> factory) {
            List<ParamSpec> all = new ArrayList<>(params);
            if (needsBase) {
                all.add(LinesScaling.ALPHA);
                all.add(LinesScaling.BETA);
            }
            return new MergeMethod(name, aliases, needsBase, models, summary, source, order, all, factory);
        }
    }
}
