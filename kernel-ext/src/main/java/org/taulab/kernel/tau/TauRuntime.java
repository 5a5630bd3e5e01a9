package org.taulab.kernel.tau;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * What translated {@code %%tau} code calls besides the operators: function and method calls that
 * report errors at their position, and the hand-over of a statement's value from the JShell snippet
 * that computed it to the kernel, which then declares the variable with the value's type.
 */
public final class TauRuntime {
    private static volatile Object held;

    private TauRuntime() {
    }

    /** Keeps a statement's value for {@link #take}. */
    public static void hold(Object value) {
        held = value;
    }

    /** The value kept by the last {@link #hold}. */
    public static Object take() {
        return held;
    }

    /** Calls a DSL function; names[i] is the name of the i-th of the named arguments. */
    public static Object call(String function, int line, int column, Object[] positional, String[] names, Object[] named) {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            byName.put(names[i], named[i]);
        }
        try {
            return TauFunctions.call(function, Arrays.asList(positional), byName);
        } catch (TauError e) {
            throw e;
        } catch (TauLabException e) {
            throw new TauError(line, column, e.getMessage());
        }
    }

    /** Calls public method {@code method} of {@code target}. */
    public static Object invoke(int line, int column, Object target, String method, Object[] args) {
        try {
            return Invocations.invoke(target, method, Arrays.asList(args));
        } catch (TauError e) {
            throw e;
        } catch (TauLabException e) {
            throw new TauError(line, column, e.getMessage());
        }
    }

    /**
     * The Java type to declare a variable holding {@code value} with: primitives for numbers and
     * booleans, the value's most specific public class (or interface) otherwise, and typed lists.
     */
    public static String javaType(Object value) {
        if (value == null) {
            return "Object";
        }
        if (value instanceof Long) {
            return "long";
        }
        if (value instanceof Integer) {
            return "int";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof List<?> list) {
            String item = null;
            for (Object o : list) {
                String t = o == null ? "Object" : boxed(typeOf(o.getClass()));
                item = item == null || item.equals(t) ? t : "Object";
            }
            return "java.util.List<" + (item == null ? "Object" : item) + ">";
        }
        return typeOf(value.getClass());
    }

    private static String typeOf(Class<?> c) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            if (isNameable(k)) {
                return name(k);
            }
        }
        for (Class<?> i : c.getInterfaces()) {
            if (isNameable(i)) {
                return name(i);
            }
        }
        return "Object";
    }

    private static boolean isNameable(Class<?> k) {
        if (k.isAnonymousClass() || k.isLocalClass() || k.isSynthetic() || k.getCanonicalName() == null && !k.getName().startsWith("REPL.")) {
            return false;
        }
        for (Class<?> c = k; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) && !c.getName().startsWith("REPL.")) {
                return false;
            }
        }
        return true;
    }

    private static String name(Class<?> k) {
        if (k.getName().startsWith("REPL.")) {
            return k.getSimpleName();
        }
        return k.getPackageName().equals("java.lang") ? k.getSimpleName() : k.getCanonicalName();
    }

    private static String boxed(String type) {
        return switch (type) {
            case "long" -> "Long";
            case "int" -> "Integer";
            case "double" -> "Double";
            case "boolean" -> "Boolean";
            default -> type;
        };
    }
}
