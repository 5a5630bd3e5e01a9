package org.taulab.kernel.jshell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.StatementSnippet;

/**
 * Compiled classes of statements and expressions that may run again unchanged. JShell compiles every
 * evaluation anew (about 10 ms here); a statement whose source is the same and whose names mean the
 * same things (no declaration, import or status change since) compiles to the same code, so running
 * its class again is equivalent and costs microseconds. Any declaration invalidates every entry.
 */
final class CompiledSnippets {
    private static final int CAPACITY = 256;

    record Entry(String className, boolean hasValue, long generation) { }

    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };
    private long generation;

    /** The class to run again for {@code source}, or null when it must be compiled. */
    Entry find(String source) {
        Entry e = entries.get(source);
        return e != null && e.generation() == generation ? e : null;
    }

    /** Records what an evaluation of {@code source} did: a reusable statement, or a change of meaning. */
    void afterEval(String source, List<SnippetEvent> events, String className) {
        boolean reusable = events.size() == 1 && className != null;
        for (SnippetEvent event : events) {
            Snippet s = event.snippet();
            boolean statement = s instanceof ExpressionSnippet || s instanceof StatementSnippet;
            if (!statement || event.causeSnippet() != null || event.previousStatus() != Snippet.Status.NONEXISTENT) {
                generation++;
                reusable = false;
            }
            if (event.status() != Snippet.Status.VALID || event.exception() != null) {
                reusable = false;
            }
        }
        if (reusable) {
            entries.put(source, new Entry(className, JavaSession.hasValue(events.get(0).snippet()), generation));
        }
    }

    /** Forgets every entry (after a class path change, say). */
    void invalidate() {
        generation++;
    }
}
