package org.taulab.dsl.io;

import java.nio.ByteBuffer;

/** Releases a direct or mapped buffer's memory now, instead of whenever the garbage collector gets to it. */
public final class DirectMemory {
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private DirectMemory() {
    }

    /** Frees a direct buffer or unmaps a mapped one; a slice or duplicate is left to the collector. */
    public static void release(ByteBuffer b) {
        try {
            UNSAFE.invokeCleaner(b);
        } catch (RuntimeException e) {
            // a slice or duplicate: the collector frees it
        }
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
