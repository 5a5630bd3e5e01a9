package org.taulab.dsl.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** One direct buffer per thread, grown to the largest tensor read so far and reused for every read. */
final class ReadBuffer {
    private static final ThreadLocal<ByteBuffer> BUFFER = new ThreadLocal<>();

    private ReadBuffer() {
    }

    /** A cleared buffer with exactly {@code size} bytes of room (position 0, limit size). */
    static ByteBuffer get(int size) {
        ByteBuffer b = BUFFER.get();
        if (b == null || b.capacity() < size) {
            b = ByteBuffer.allocateDirect(Math.max(size, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
            BUFFER.set(b);
        }
        b.clear();
        b.limit(size);
        return b;
    }
}
