package org.taulab.dsl.zoo;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * A zoo's values by task name, in task order, whose {@code get} of a name that is no task fails naming it and
 * the tasks there are (in a notebook, {@code ft.get("fashon")} returning null only surfaced later as "got null").
 * {@code containsKey} and {@code getOrDefault} keep the usual meaning for code that asks first.
 */
public final class TaskMap<V> extends LinkedHashMap<String, V> {
    private final String zoo;

    public TaskMap(String zoo, Map<String, V> values) {
        super(values);
        this.zoo = zoo;
    }

    @Override
    public V get(Object task) {
        V v = super.get(task);
        if (v == null && !containsKey(task)) {
            throw new TauLabException(noTask(zoo, String.valueOf(task), keySet()));
        }
        return v;
    }

    /** "zoo Z has no task 'T' (tasks: a, b, …)", with the closest name when one is a likely misspelling. */
    public static String noTask(String zoo, String task, java.util.Collection<String> tasks) {
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String t : tasks) {
            int d = editDistance(task.toLowerCase(java.util.Locale.ROOT), t.toLowerCase(java.util.Locale.ROOT));
            if (d < best) {
                best = d;
                closest = t;
            }
        }
        String hint = closest != null && best <= Math.max(1, closest.length() / 3) ? "; did you mean '" + closest + "'?" : "";
        return "zoo " + zoo + " has no task '" + task + "' (tasks: " + String.join(", ", tasks) + hint + ")";
    }

    static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int up = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = up;
            }
        }
        return row[b.length()];
    }
}
