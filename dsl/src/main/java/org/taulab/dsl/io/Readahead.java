package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the bytes that follow a file's last read on a background thread, so that they are in the page cache when
 * a streaming consumer asks for them. A merge reads one tensor of each of its T + 1 files, then computes (about a
 * second per matrix for CART at ViT-B/32 shapes); the kernel's own readahead (128 KB) does not reach across that
 * pause, so without this the disk idles while the CPUs work and the CPUs idle while the disk reads. Each file is
 * read at most {@link #WINDOW} bytes past its last read ({@code -Dtaulab.readahead=BYTES}; 0 turns it off), in
 * chunks, skipping what the consumer has read meanwhile. It is advisory: a failure here is ignored (the consumer's
 * own read reports it).
 */
final class Readahead {
    static final long WINDOW = Long.getLong("taulab.readahead", 32L << 20);
    private static final int CHUNK = 4 << 20;

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "taulab-readahead");
        t.setDaemon(true);
        return t;
    });

    private static final ThreadLocal<ByteBuffer> SINK = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 20));

    private final Path path;
    private final long size;
    private long scheduled;
    private volatile long consumed;
    private final AtomicLong readAhead = new AtomicLong();

    Readahead(Path path, long size) {
        this.path = path;
        this.size = size;
    }

    /** The consumer has read up to byte {@code end} of the file: schedule what follows, up to the window. */
    void after(long end) {
        if (WINDOW <= 0) {
            return;
        }
        if (end > consumed) {
            consumed = end;
        }
        long from;
        long to;
        synchronized (this) {
            from = Math.max(scheduled, end);
            to = Math.min(size, end + WINDOW);
            if (to - from < Math.min(CHUNK, WINDOW) && to < size) {
                return;   // not worth a job yet
            }
            if (from >= to) {
                return;
            }
            scheduled = to;
        }
        for (long start = from; start < to; start += CHUNK) {
            long chunkStart = start;
            long chunkEnd = Math.min(to, start + CHUNK);
            THREAD.execute(() -> read(chunkStart, chunkEnd));
        }
    }

    /** Bytes this file has had read ahead so far. */
    long bytesReadAhead() {
        return readAhead.get();
    }

    /** Waits until the background thread has done what was scheduled before this call (for tests). */
    static void awaitIdle() throws Exception {
        Future<?> marker = THREAD.submit(() -> { });
        marker.get();
    }

    private void read(long from, long to) {
        if (to <= consumed) {
            return;
        }
        ByteBuffer sink = SINK.get();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long pos = Math.max(from, consumed);
            while (pos < to) {
                sink.clear().limit((int) Math.min(sink.capacity(), to - pos));
                int n = ch.read(sink, pos);
                if (n <= 0) {
                    return;
                }
                pos += n;
                readAhead.addAndGet(n);
            }
        } catch (IOException | RuntimeException e) {
            // advisory only
        }
    }
}
