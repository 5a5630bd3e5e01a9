package org.taulab.kernel.render;

import java.lang.reflect.Array;

/**
 * An array as JShell prints it ({@code int[3] { 1, 2, 3 }}), nested arrays included, where {@code toString} gives
 * {@code [I@3ca5ed52}; at most {@link #SHOWN} elements per level, then how many more there are.
 */
final class ArrayText {
    static final int SHOWN = 100;

    private ArrayText() {
    }

    static String of(Object array) {
        StringBuilder out = new StringBuilder();
        append(out, array);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null || !value.getClass().isArray()) {
            out.append(value instanceof String s ? quote(s) : value instanceof Character c ? "'" + c + "'" : String.valueOf(value));
            return;
        }
        int length = Array.getLength(value);
        out.append(typeName(value.getClass(), length)).append(" {");
        for (int i = 0; i < Math.min(length, SHOWN); i++) {
            out.append(i == 0 ? " " : ", ");
            append(out, Array.get(value, i));
        }
        if (length > SHOWN) {
            out.append(", … (").append(length - SHOWN).append(" more)");
        }
        out.append(length == 0 ? "}" : " }");
    }

    /** {@code int[3]}, {@code String[2][]}. */
    private static String typeName(Class<?> type, int length) {
        Class<?> component = type.getComponentType();
        StringBuilder dims = new StringBuilder();
        while (component.isArray()) {
            dims.append("[]");
            component = component.getComponentType();
        }
        return component.getSimpleName() + "[" + length + "]" + dims;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
