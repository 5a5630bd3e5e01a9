package org.taulab.kernel.tau;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * A function callable from {@code %%tau} code with positional and named arguments. Parameters are
 * written {@code name} (required), {@code name?} (optional) or {@code *name} (takes the remaining
 * positional arguments as a list, or a single list).
 */
public record TauFunction(String name, List<String> parameters, String doc, Body body) {
    /** The function's work, on arguments already bound to parameter names. */
    @FunctionalInterface
    public interface Body {
        Object apply(Args args);
    }

    public static TauFunction of(String name, String doc, Body body, String... parameters) {
        return new TauFunction(name, List.of(parameters), doc, body);
    }

    /** {@code name(p1, p2?, ...)}, for completion, inspection and error messages. */
    public String signature() {
        return name + "(" + String.join(", ", parameters) + ")";
    }

    /** Binds the call's arguments to parameters and runs the body. */
    public Object call(List<Object> positional, Map<String, Object> named) {
        Map<String, Object> bound = new LinkedHashMap<>();
        int next = 0;
        for (String p : parameters) {
            String pname = bare(p);
            if (p.startsWith("*")) {
                List<Object> rest = new ArrayList<>(positional.subList(Math.min(next, positional.size()), positional.size()));
                next = positional.size();
                if (rest.size() == 1 && rest.get(0) instanceof List<?> only) {
                    bound.put(pname, only);
                } else if (!rest.isEmpty()) {
                    bound.put(pname, rest);
                }
            } else if (next < positional.size()) {
                bound.put(pname, positional.get(next++));
            }
        }
        if (next < positional.size()) {
            throw new TauLabException(signature() + " takes " + parameters.size() + " argument" + (parameters.size() == 1 ? "" : "s")
                    + ", got " + positional.size());
        }
        for (Map.Entry<String, Object> e : named.entrySet()) {
            if (parameters.stream().noneMatch(p -> bare(p).equals(e.getKey()))) {
                throw new TauLabException(signature() + " has no parameter '" + e.getKey() + "'");
            }
            if (bound.containsKey(e.getKey())) {
                throw new TauLabException(signature() + ": argument " + e.getKey() + " given twice");
            }
            bound.put(e.getKey(), e.getValue());
        }
        for (String p : parameters) {
            if (!p.endsWith("?") && !bound.containsKey(bare(p))) {
                throw new TauLabException(signature() + ": missing argument " + bare(p));
            }
        }
        return body.apply(new Args(name, bound));
    }

    private static String bare(String parameter) {
        return parameter.replace("*", "").replace("?", "");
    }
}
