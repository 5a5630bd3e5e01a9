package org.taulab.kernel.tau;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.taulab.dsl.TauLabException;

/**
 * Calls a Java method chosen by name and the runtime types of the arguments, converting numbers to the
 * parameter's primitive type and a merge result to its weights.
 */
final class Invocations {
    private Invocations() {
    }

    static Object invoke(Object target, String name, List<Object> args) {
        if (target == null) {
            throw new TauLabException("cannot call " + name + "(...) on null");
        }
        return call(target.getClass(), target, name, args, false);
    }

    static Object invokeStatic(Class<?> type, String name, List<Object> args) {
        return call(type, null, name, args, true);
    }

    private static Object call(Class<?> type, Object target, String name, List<Object> args, boolean statics) {
        boolean named = false;
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(name) || Modifier.isStatic(m.getModifiers()) != statics) {
                continue;
            }
            named = true;
            Object[] converted = convert(m.getParameterTypes(), args);
            if (converted != null) {
                try {
                    m.setAccessible(true);
                    Object result = m.invoke(target, converted);
                    return m.getReturnType() == void.class ? target : result;
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new TauLabException(name + ": " + e.getCause(), e.getCause());
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new TauLabException("cannot call " + name + ": " + e.getMessage(), e);
                }
            }
        }
        String owner = statics ? "" : TauOps.describe(target) + " has ";
        throw new TauLabException(named ? owner + "no " + name + " taking " + describe(args)
                : (statics ? "unknown function '" + name + "'" : owner + "no method '" + name + "'"));
    }

    private static String describe(List<Object> args) {
        if (args.isEmpty()) {
            return "no arguments";
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < args.size(); i++) {
            b.append(i > 0 ? ", " : "").append(TauOps.describe(args.get(i)));
        }
        return b.append(')').toString();
    }

    private static Object[] convert(Class<?>[] params, List<Object> args) {
        if (params.length != args.size()) {
            return null;
        }
        Object[] out = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            Object a = args.get(i);
            Class<?> p = params[i];
            if (a instanceof Number n && (p == int.class || p == long.class || p == Integer.class || p == Long.class)
                    && n.doubleValue() != Math.rint(n.doubleValue())) {
                return null;
            }
            if (a instanceof Number n && (p.isPrimitive() || Number.class.isAssignableFrom(p)) && p != boolean.class && p != char.class) {
                out[i] = number(n, p);
            } else if (p == boolean.class && a instanceof Boolean) {
                out[i] = a;
            } else if (a == null ? !p.isPrimitive() : box(p).isInstance(a)) {
                out[i] = a;
            } else {
                return null;
            }
        }
        return out;
    }

    private static Object number(Number n, Class<?> p) {
        if (p == double.class || p == Double.class) {
            return n.doubleValue();
        }
        if (p == float.class || p == Float.class) {
            return n.floatValue();
        }
        if (p == long.class || p == Long.class) {
            return n.longValue();
        }
        if (p == int.class || p == Integer.class) {
            return n.intValue();
        }
        return n;
    }

    private static Class<?> box(Class<?> p) {
        if (!p.isPrimitive()) {
            return p;
        }
        return p == int.class ? Integer.class : p == long.class ? Long.class : p == double.class ? Double.class
                : p == float.class ? Float.class : p == boolean.class ? Boolean.class : p == char.class ? Character.class
                : p == short.class ? Short.class : Byte.class;
    }
}
