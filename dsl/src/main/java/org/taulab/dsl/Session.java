package org.taulab.dsl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The state one notebook (or one command, or one test) works in: its base model, the evaluators and learning
 * setups it has loaded, the reproduction contexts it has run. Each piece lives under a typed {@link Key}, so the
 * layers above keep their own state here without this class knowing their types. {@link #begin} starts a fresh
 * session (everything loaded before is dropped with the old one); a kernel is one session.
 */
public final class Session {
    private static volatile Session current = new Session();

    private final Map<Key<?>, Object> values = new ConcurrentHashMap<>();
    private final Map<Key<?>, Object> locks = new ConcurrentHashMap<>();

    /** A named, typed slot of a session. Keys are equal when their names and types are. */
    public record Key<T>(String name, Class<T> type) {
    }

    public static <T> Key<T> key(String name, Class<T> type) {
        return new Key<>(name, type);
    }

    /** The session this process works in now. */
    public static Session current() {
        return current;
    }

    /** Starts a fresh session and makes it the current one. */
    public static Session begin() {
        Session s = new Session();
        current = s;
        return s;
    }

    /** The value under {@code key}, or null. */
    public <T> T get(Key<T> key) {
        return key.type().cast(values.get(key));
    }

    /** Sets (or with null, clears) the value under {@code key}; returns it. */
    public <T> T set(Key<T> key, T value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        return value;
    }

    /**
     * The value under {@code key}, made by {@code make} the first time it is asked for in this session. Making one
     * value may remember others (a reproduction context loads an evaluator): each key has its own lock, so that
     * works, and two threads asking for one key make it once.
     */
    public <T> T remember(Key<T> key, Supplier<? extends T> make) {
        Object v = values.get(key);
        if (v == null) {
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                v = values.get(key);
                if (v == null) {
                    v = make.get();
                    values.put(key, v);
                }
            }
        }
        return key.type().cast(v);
    }
}
