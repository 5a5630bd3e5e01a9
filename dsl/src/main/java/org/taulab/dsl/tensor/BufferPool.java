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
        int capacity = Integer.highestOneBit(Math.max(size, 64) - 1) << 1;
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

    static void release(ByteBuffer b) {
        int capacity = b.capacity();
        if (IDLE_BYTES.addAndGet(capacity) > MAX_IDLE_BYTES) {
            IDLE_BYTES.addAndGet(-capacity);
            return;
        }
        Deque<ByteBuffer> idle = IDLE.computeIfAbsent(capacity, k -> new ArrayDeque<>());
        synchronized (idle) {
            idle.addFirst(b);
        }
    }

    /** An id for registering a buffer's release with an NDManager. */
    static String nextId() {
        return "taulab-buffer-" + IDS.incrementAndGet();
    }
}
