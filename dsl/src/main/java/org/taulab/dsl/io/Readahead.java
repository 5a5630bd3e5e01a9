package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
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
 * chunks, skipping what the consumer has read meanwhile, and skipping a chunk whose pages are all in the page cache
 * already (reading those would only copy them once more, 3 GB for CART over base + 8 ViT-B/32 checkpoints). It
 * is advisory: a failure here is ignored (the consumer's own read reports it).
 */
final class Readahead {
    static final long WINDOW = Long.getLong("taulab.readahead", 32L << 20);
    private static final int CHUNK = 4 << 20;

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "taulab-readahead");
        t.setDaemon(true);
        return t;
    });

    /** Whether chunks already in the page cache are skipped (tests turn it off to exercise the reads). */
    static volatile boolean skipResident = true;

    private static final ThreadLocal<ByteBuffer> SINK = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 20));

    private final Path path;
    private final long size;
    private long scheduled;
    private volatile long consumed;
    private final AtomicLong covered = new AtomicLong();
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

    /** Bytes of this file the readahead has seen to so far: read, or found in the page cache. */
    long bytesCovered() {
        return covered.get();
    }

    /** Of those, the bytes it read (the rest were in the page cache already). */
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
            if (skipResident && pos < to && resident(ch, pos, to - pos)) {
                covered.addAndGet(to - pos);
                return;
            }
            while (pos < to) {
                sink.clear().limit((int) Math.min(sink.capacity(), to - pos));
                int n = ch.read(sink, pos);
                if (n <= 0) {
                    return;
                }
                pos += n;
                readAhead.addAndGet(n);
                covered.addAndGet(n);
            }
        } catch (IOException | RuntimeException e) {
            // advisory only
        }
    }

    /** Whether every page of the range is in the page cache (the kernel's answer for a mapping of it). */
    private static boolean resident(FileChannel ch, long pos, long length) throws IOException {
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, length);
        try {
            return map.isLoaded();
        } finally {
            DirectMemory.release(map);
        }
    }
}
