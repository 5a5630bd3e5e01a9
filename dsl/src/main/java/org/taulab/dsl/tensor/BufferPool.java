package org.taulab.dsl.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct buffers that tensors read from files live in, recycled when their manager closes. DJL's
 * PyTorch engine uses a direct buffer as the tensor's storage, so a file read straight into a pooled
 * buffer becomes a tensor with a single copy (the read), no zeroing and no garbage-collected native
 * memory. Sizes are rounded up to powers of two; at most {@link #MAX_IDLE_BYTES} stay idle.
 */
final class BufferPool {
    static final long MAX_IDLE_BYTES = 512L << 20;
    private static final Map<Integer, Deque<ByteBuffer>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicLong IDLE_BYTES = new AtomicLong();
    private static final AtomicLong IDS = new AtomicLong();

    private BufferPool() {
    }

    /** A buffer of exactly {@code size} bytes (limit), native little-endian, owned until released. */
    static ByteBuffer acquire(int size) {
        int capacity = capacity(size);
        Deque<ByteBuffer> idle = IDLE.get(capacity);
        ByteBuffer b = null;
        if (idle != null) {
            synchronized (idle) {
                b = idle.pollFirst();
            }
        }
        if (b == null) {
            b = ByteBuffer.allocateDirect(capacity);
        } else {
            IDLE_BYTES.addAndGet(-capacity);
        }
        b.clear().limit(size);
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Powers of two up to 64 MB, then whole multiples of 16 MB: a billion-parameter model's embedding (1.05 GB in
     * float32) would otherwise take a 2 GB buffer, all of it touched when the JVM zeroes it.
     */
    static int capacity(int size) {
        int small = 64 << 20;
        if (size <= small) {
            return Integer.highestOneBit(Math.max(size, 64) - 1) << 1;
        }
        long step = 16L << 20;
        return (int) Math.min(Integer.MAX_VALUE - 8, (size + step - 1) / step * step);
    }

    static void release(ByteBuffer b) {
        int capacity = b.capacity();
        if (IDLE_BYTES.addAndGet(capacity) > MAX_IDLE_BYTES) {
            IDLE_BYTES.addAndGet(-capacity);
            free(b);
            return;
        }
        Deque<ByteBuffer> idle = IDLE.computeIfAbsent(capacity, k -> new ArrayDeque<>());
        synchronized (idle) {
            idle.addFirst(b);
        }
    }

    /**
     * Returns a direct buffer's memory now rather than when the garbage collector gets to it: with a large heap
     * that can be many gigabytes later, and a merge of large models releases a gigabyte per tensor.
     */
    static void free(ByteBuffer b) {
        org.taulab.dsl.io.DirectMemory.release(b);
    }

    /** An id for registering a buffer's release with an NDManager. */
    static String nextId() {
        return "taulab-buffer-" + IDS.incrementAndGet();
    }
}
