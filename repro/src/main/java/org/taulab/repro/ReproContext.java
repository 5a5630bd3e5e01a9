package org.taulab.repro;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.taulab.Tau;
import org.taulab.dsl.Session;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.zoo.Zoo;

/**
 * Where experiments run: a zoo, the mode (quick or full), the {@link ZooEvaluator} they evaluate on, and a memo
 * of intermediate results (searches, sweeps) so that the cells of a notebook and {@code %reproduce} share
 * work: the rank curve reuses the CART search of the methods table.
 */
public final class ReproContext {
    private final Zoo zoo;
    private final boolean quick;
    private final ZooEvaluator bench;
    private final Map<String, Object> memo = new ConcurrentHashMap<>();

    public ReproContext(Zoo zoo, boolean quick, ZooEvaluator bench) {
        this.zoo = zoo;
        this.quick = quick;
        this.bench = bench;
    }

    /** The session's context for the embedded benchmark in the current mode (kept in the {@link Session}). */
    public static ReproContext shared() {
        return shared(Zoo.DEFAULT);
    }

    public static ReproContext shared(String zooName) {
        boolean quick = Tau.quick();
        return Session.current().remember(Session.key("repro " + zooName + "#" + quick, ReproContext.class), () -> {
            Zoo zoo = Zoo.open(zooName);
            return new ReproContext(zoo, quick, ZooEvaluator.of(zoo, quick ? ZooEvaluator.QUICK_SAMPLES : 0));
        });
    }

    public Zoo zoo() {
        return zoo;
    }

    public boolean quick() {
        return quick;
    }

    public ZooEvaluator bench() {
        return bench;
    }

    /** {@code quickValue} in quick mode, else {@code fullValue}. */
    public <T> T pick(T quickValue, T fullValue) {
        return quick ? quickValue : fullValue;
    }

    /** The value computed once per context under {@code key}. */
    @SuppressWarnings("unchecked")
    public <T> T memo(String key, Supplier<T> compute) {
        Object v = memo.get(key);
        if (v == null) {
            v = compute.get();
            memo.put(key, v);
        }
        return (T) v;
    }
}
