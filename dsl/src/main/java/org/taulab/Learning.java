package org.taulab;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.taulab.dsl.learn.AdaMerging;
import org.taulab.dsl.learn.Atlas;
import org.taulab.dsl.learn.DvBasi;
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
    private static final Map<String, LearnSetup> SETUPS = new ConcurrentHashMap<>();

    private Learning() {
    }

    /** The data, heads and models learned merges use on {@code zoo} (cached per zoo and mode). */
    public static LearnSetup learnSetup(Zoo zoo) {
        boolean quick = Tau.quick();
        return SETUPS.computeIfAbsent(zoo.dir().toAbsolutePath() + (quick ? "#quick" : ""), k -> LearnSetup.of(zoo, quick));
    }

    public static LearnSetup learnSetup() {
        return learnSetup(Zoo.open(Zoo.DEFAULT));
    }

    public static LearnResult adamerging() {
        return AdaMerging.taskArithmetic().run(learnSetup());
    }

    public static LearnResult adamergingCart() {
        return AdaMerging.cart().run(learnSetup());
    }

    public static LearnResult atlas() {
        return new Atlas().run(learnSetup());
    }

    /** DV-BASI task addition from {@code theta0} on the embedded benchmark. */
    public static LearnResult dvbasi(Weights theta0) {
        return new DvBasi().run(learnSetup(), theta0);
    }

    /** A starting point by method: task-arithmetic, ties, cart (λ searched on val) or atlas. */
    public static Weights startingPoint(String method) {
        return StartingPoints.of(method, learnSetup());
    }
}
