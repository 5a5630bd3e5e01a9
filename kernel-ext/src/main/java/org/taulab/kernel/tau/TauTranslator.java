package org.taulab.kernel.tau;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Predicate;
import javax.lang.model.SourceVersion;

/**
 * Translates {@code %%tau} expressions into Java source that calls {@link TauOps}, {@link TauRuntime}
 * and the DSL. Names must be variables of the session (checked with {@code isVariable}) or functions.
 */
public final class TauTranslator {
    private static final String OPS = "org.taulab.kernel.tau.TauOps.";
    private static final String RUNTIME = "org.taulab.kernel.tau.TauRuntime.";

    private final Predicate<String> isVariable;

    public TauTranslator(Predicate<String> isVariable) {
        this.isVariable = isVariable;
    }

    /** Java source of an expression evaluating {@code node}. */
    public String expression(Node node) {
        if (node instanceof Node.Number n) {
            return number(n);
        }
        if (node instanceof Node.Text t) {
            return javaString(t.value());
        }
        if (node instanceof Node.Bool b) {
            return "Boolean.valueOf(" + b.value() + ")";
        }
        if (node instanceof Node.Name n) {
            return name(n);
        }
        if (node instanceof Node.Binary b) {
            String method = switch (b.operator()) {
                case '+' -> "add";
                case '-' -> "subtract";
                case '*' -> "multiply";
                default -> "divide";
            };
            return OPS + method + "(" + b.line() + ", " + b.column() + ", " + expression(b.left()) + ", " + expression(b.right()) + ")";
        }
        if (node instanceof Node.Negate n) {
            return OPS + "negate(" + n.line() + ", " + n.column() + ", " + expression(n.operand()) + ")";
        }
        if (node instanceof Node.ListOf l) {
            return OPS + "list(" + join(l.items()) + ")";
        }
        if (node instanceof Node.Call c) {
            return call(c);
        }
        Node.MethodCall m = (Node.MethodCall) node;
        return RUNTIME + "invoke(" + m.line() + ", " + m.column() + ", " + expression(m.target()) + ", " + javaString(m.method())
                + ", new Object[] {" + join(m.positional()) + "})";
    }

    private String name(Node.Name n) {
        if (isVariable.test(n.name())) {
            if (!SourceVersion.isIdentifier(n.name()) || SourceVersion.isKeyword(n.name())) {
                throw new TauError(n.line(), n.column(), "'" + n.name() + "' is not a Java variable name");
            }
            return "((Object) " + n.name() + ")";
        }
        if (TauFunctions.exists(n.name())) {
            throw new TauError(n.line(), n.column(), n.name() + " is a function: call it, e.g. " + n.name() + "(...)");
        }
        throw new TauError(n.line(), n.column(), "unknown name '" + n.name() + "'");
    }

    private String call(Node.Call c) {
        if (!TauFunctions.exists(c.function())) {
            throw new TauError(c.line(), c.column(), "unknown function '" + c.function() + "'");
        }
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (Node.NamedArg a : c.named()) {
            names.append(names.length() > 0 ? ", " : "").append(javaString(a.name()));
            values.append(values.length() > 0 ? ", " : "").append(expression(a.value()));
        }
        return RUNTIME + "call(" + javaString(c.function()) + ", " + c.line() + ", " + c.column()
                + ", new Object[] {" + join(c.positional()) + "}, new String[] {" + names + "}, new Object[] {" + values + "})";
    }

    private String join(List<Node> nodes) {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            b.append(b.length() > 0 ? ", " : "").append(expression(n));
        }
        return b.toString();
    }

    private static String number(Node.Number n) {
        BigDecimal value;
        try {
            value = new BigDecimal(n.text());
        } catch (NumberFormatException e) {
            throw new TauError(n.line(), n.column(), "not a number: " + n.text());
        }
        if (n.percent()) {
            return "Double.valueOf(" + value.movePointLeft(2).doubleValue() + ")";
        }
        boolean integral = n.text().chars().allMatch(Character::isDigit);
        if (integral) {
            try {
                return "Long.valueOf(" + value.longValueExact() + "L)";
            } catch (ArithmeticException tooBig) {
                return "Double.valueOf(" + value.doubleValue() + ")";
            }
        }
        return "Double.valueOf(" + value.doubleValue() + ")";
    }

    static String javaString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
