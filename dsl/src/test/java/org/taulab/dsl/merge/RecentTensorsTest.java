package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Tensors;

/** The memo behind θ_avg: each tensor computed once, tensors computed ahead kept until used, failures reported by the caller. */
class RecentTensorsTest {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** A source whose tensor is [code, code + 1, code + 2] and that counts its calls. */
    private Function<NDManager, NDArray> source(String name, float code) {
        return m -> {
            calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return m.create(new float[] {code, code + 1, code + 2});
        };
    }

    private int calls(String name) {
        AtomicInteger c = calls.get(name);
        return c == null ? 0 : c.get();
    }

    private static float[] read(RecentTensors memo, String name, Function<NDManager, NDArray> source) {
        try (NDManager m = Tensors.scope()) {
            return memo.compute(name, m, source).toFloatArray();
        }
    }

    /** Asks for the tensor ahead and waits until its source has run on the helper thread. */
    private void aheadAndWait(RecentTensors memo, String name, float code) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        memo.ahead(name, m -> {
            NDArray x = source(name, code).apply(m);
            done.countDown();
            return x;
        });
        done.await();
    }

    @Test
    void theLastTensorIsComputedOnceAndAnotherOneReplacesIt() {
        RecentTensors memo = new RecentTensors();
        assertArrayEquals(new float[] {1, 2, 3}, read(memo, "a", source("a", 1)));
        assertArrayEquals(new float[] {1, 2, 3}, read(memo, "a", source("a", 1)));
        assertEquals(1, calls("a"));
        read(memo, "b", source("b", 5));
        read(memo, "a", source("a", 1));
        assertEquals(2, calls("a"), "a was dropped when b was computed");
    }

    @Test
    void aTensorComputedAheadIsKeptUntilItsFirstUseWhileOthersComeAndGo() throws Exception {
        RecentTensors memo = new RecentTensors();
        aheadAndWait(memo, "next", 7);
        read(memo, "bias1", source("bias1", 0));
        read(memo, "bias2", source("bias2", 0));
        assertArrayEquals(new float[] {7, 8, 9}, read(memo, "next", source("next", 7)));
        assertArrayEquals(new float[] {7, 8, 9}, read(memo, "next", source("next", 7)));
        assertEquals(1, calls("next"));
        memo.ahead("next", source("next", 7));
        read(memo, "next", source("next", 7));
        assertEquals(1, calls("next"), "asking ahead for the kept tensor computes nothing");
    }

    @Test
    void aTensorAskedForWhileItIsComputedAheadIsWaitedFor() throws Exception {
        RecentTensors memo = new RecentTensors();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        memo.ahead("slow", m -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return source("slow", 3).apply(m);
        });
        started.await();
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        releaser.start();
        assertArrayEquals(new float[] {3, 4, 5}, read(memo, "slow", source("slow", 3)));
        assertEquals(1, calls("slow"));
        releaser.join();
    }

    @Test
    void aFailureAheadIsComputedAgainAndReportedByTheCaller() throws Exception {
        RecentTensors memo = new RecentTensors();
        CountDownLatch done = new CountDownLatch(1);
        memo.ahead("bad", m -> {
            calls.computeIfAbsent("bad", k -> new AtomicInteger()).incrementAndGet();
            done.countDown();
            throw new TauLabException("ahead failed");
        });
        done.await();
        TauLabException e = assertThrows(TauLabException.class,
                () -> read(memo, "bad", m -> {
                    calls.get("bad").incrementAndGet();
                    throw new TauLabException("tensor 'bad' holds NaN");
                }));
        assertEquals("tensor 'bad' holds NaN", e.getMessage());
        assertEquals(2, calls("bad"));
    }

    @Test
    void atMostTheLimitOfTensorsWaitsAheadTheOldestIsDropped() throws Exception {
        RecentTensors memo = new RecentTensors();
        for (int i = 0; i <= RecentTensors.AHEAD_LIMIT; i++) {
            aheadAndWait(memo, "t" + i, 1);
        }
        for (int i = 0; i <= RecentTensors.AHEAD_LIMIT; i++) {
            read(memo, "t" + i, source("t" + i, 1));
        }
        assertEquals(2, calls("t0"), "the oldest tensor computed ahead was dropped");
        for (int i = 1; i <= RecentTensors.AHEAD_LIMIT; i++) {
            assertEquals(1, calls("t" + i));
        }
    }
}
