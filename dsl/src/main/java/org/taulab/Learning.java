package org.taulab;

import java.util.Map;
import org.taulab.dsl.learn.LearnCatalogue;
import org.taulab.dsl.learn.LearnMethod;
import org.taulab.dsl.learn.LearnOptions;
import org.taulab.dsl.learn.LearnResult;
import org.taulab.dsl.learn.LearnSetup;
import org.taulab.dsl.learn.StartingPoints;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;

/**
 * The learned merges from notebooks and Java ({@code import static org.taulab.Learning.*}): each runs on a zoo
 * (the embedded benchmark unless named) with the defaults of docs/algorithms.md, reports progress to the session,
 * and returns a {@link LearnResult} (weights, history table, chart). With the environment variable
 * {@code TAULAB_QUICK=1} every run uses quick mode (fewer samples and epochs, the same code).
 */
public final class Learning {
    private Learning() {
    }

    /** The data, heads and models learned merges use on {@code zoo} (kept in the session, per zoo and mode). */
    public static LearnSetup learnSetup(Zoo zoo) {
        boolean quick = Tau.quick();
        return org.taulab.dsl.Session.current().remember(org.taulab.dsl.Session.key("learn-setup " + zoo.dir().toAbsolutePath()
                + (quick ? "#quick" : ""), LearnSetup.class), () -> LearnSetup.of(zoo, quick));
    }

    public static LearnSetup learnSetup() {
        return learnSetup(Zoo.open(Zoo.DEFAULT));
    }

    /**
     * Any learned merge of the catalogue ({@code adamerging}, {@code atlas}, {@code dvbasi}, {@code dvbasi-negate}, …)
     * on the embedded benchmark, with options by name; {@code theta0} and {@code task} as the method starts from
     * (null where it does not use them).
     */
    public static LearnResult learn(String method, Weights theta0, String task, Map<String, ?> options) {
        LearnMethod m = LearnCatalogue.require(method);
        LearnOptions o = m.defaults();
        for (Map.Entry<String, ?> e : options.entrySet()) {
            o = o.with(e.getKey(), e.getValue());
        }
        return m.run(learnSetup(), o, theta0, task);
    }

    public static LearnResult adamerging() {
        return learn("adamerging", null, null, Map.of());
    }

    public static LearnResult adamergingCart() {
        return learn("adamerging-cart", null, null, Map.of());
    }

    public static LearnResult atlas() {
        return learn("atlas", null, null, Map.of());
    }

    /** DV-BASI task addition from {@code theta0} on the embedded benchmark. */
    public static LearnResult dvbasi(Weights theta0) {
        return learn("dvbasi", theta0, null, Map.of());
    }

    /** A starting point by method: task-arithmetic, ties, cart (λ searched on val) or atlas. */
    public static Weights startingPoint(String method) {
        return StartingPoints.of(method, learnSetup());
    }
}
