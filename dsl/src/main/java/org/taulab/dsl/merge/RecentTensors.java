package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.taulab.dsl.tensor.Tensors;

/**
 * Remembers the most recently computed tensor of a derived model, and tensors computed ahead on a helper thread
 * until their first use. Merges stream tensor by tensor and read the same derived tensor several times in a row
 * (CART's θ_avg once per centered vector and once more for the result), so one remembered tensor turns T + 1
 * computations into one; a tensor asked for while it is being computed is waited for, not computed again.
 * Computing the next matrix's tensor ahead lets its serial part (reading and summing T models) overlap the
 * current matrix's parallel decompositions instead of leaving a core idle.
 */
final class RecentTensors {
    /** Tensors computed ahead and not yet used, at most this many (the oldest is dropped). */
    static final int AHEAD_LIMIT = 2;

    private static final ExecutorService HELPER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "taulab-ahead");
        t.setDaemon(true);
        return t;
    });

    private record Stored(float[] values, Shape shape) {
    }

    private static final class Slot {
        final CompletableFuture<Stored> value = new CompletableFuture<>();
        boolean ahead;
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** The tensor, from {@code source} the first time it is asked for (then kept until another one is). */
    NDArray compute(String tensor, NDManager m, Function<NDManager, NDArray> source) {
        Slot slot;
        boolean mine = false;
        synchronized (this) {
            slot = slots.remove(tensor);
            if (slot == null) {
                slot = new Slot();
                mine = true;
            }
            slot.ahead = false;
            slots.put(tensor, slot);
            dropUsedExcept(slot);
        }
        if (mine) {
            return fill(tensor, slot, source, m);
        }
        Stored s;
        try {
            s = slot.value.join();
        } catch (CompletionException e) {
            // computed ahead (or by another caller) and failed: compute it here, so the failure is this caller's own
            forget(tensor, slot);
            return compute(tensor, m, source);
        }
        return m.create(s.values(), s.shape());
    }

    /** Starts computing the tensor on the helper thread unless it is kept or under way already. */
    void ahead(String tensor, Function<NDManager, NDArray> source) {
        Slot slot;
        synchronized (this) {
            if (slots.containsKey(tensor)) {
                return;
            }
            slot = new Slot();
            slot.ahead = true;
            slots.put(tensor, slot);
            int ahead = 0;
            for (Slot s : slots.values()) {
                ahead += s.ahead ? 1 : 0;
            }
            for (Iterator<Slot> it = slots.values().iterator(); it.hasNext() && ahead > AHEAD_LIMIT; ) {
                if (it.next().ahead) {
                    it.remove();
                    ahead--;
                }
            }
        }
        HELPER.execute(() -> {
            try (NDManager m = Tensors.scope()) {
                fill(tensor, slot, source, m);
            } catch (RuntimeException | Error e) {
                // the caller that asks for the tensor computes it itself and reports the failure as its own
            }
        });
    }

    /**
     * Computes the slot's tensor into {@code m} and keeps its values; on a failure the slot is forgotten (whoever
     * waits for it computes the tensor itself) and the failure rethrown.
     */
    private NDArray fill(String tensor, Slot slot, Function<NDManager, NDArray> source, NDManager m) {
        NDArray fresh;
        try {
            fresh = source.apply(m);
        } catch (RuntimeException | Error e) {
            forget(tensor, slot);
            slot.value.completeExceptionally(e);
            throw e;
        }
        slot.value.complete(new Stored(fresh.toFloatArray(), fresh.getShape()));
        return fresh;
    }

    /** Keeps {@code newest} and every tensor computed ahead; drops the other used ones. */
    private void dropUsedExcept(Slot newest) {
        slots.values().removeIf(s -> s != newest && !s.ahead);
    }

    private synchronized void forget(String tensor, Slot slot) {
        slots.remove(tensor, slot);
    }
}
