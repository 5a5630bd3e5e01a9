package org.taulab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;

/**
 * The notebook's stdout or stderr: System.out and System.err for as long as the kernel runs. Text is gathered and
 * published as one stream message per {@link #INTERVAL_MS} (or per {@link #BATCH} bytes), not one per line: a
 * cell printing 200,000 lines used to send 200,000 iopub messages, about 1 % of which never arrived (a ZeroMQ PUB
 * socket drops messages past its high-water mark, 1000 by default). Text written while no cell runs (by a thread a
 * finished cell started) is kept, up to {@link #ORPHAN_LIMIT} bytes, and shown first in the next cell's output
 * under a marker line, instead of going to the server's terminal.
 */
final class CellOutputStream extends OutputStream {
    static final long INTERVAL_MS = 50;
    static final int BATCH = 64 * 1024;
    static final int ORPHAN_LIMIT = 1 << 20;
    static final String ORPHAN_MARKER = "[printed after its cell had finished]\n";

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "taulab-output");
        t.setDaemon(true);
        return t;
    });

    private final BiConsumer<ShellReplyEnvironment, String> publish;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private ShellReplyEnvironment env;
    private boolean scheduled;
    private long droppedOrphanBytes;

    /** {@code publish} sends one stream message (e.g. {@code ShellReplyEnvironment::writeToStdOut}). */
    CellOutputStream(BiConsumer<ShellReplyEnvironment, String> publish) {
        this.publish = publish;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (env == null) {
            keepOrphan(b, off, len);
            return;
        }
        pending.write(b, off, len);
        if (pending.size() >= BATCH) {
            drain();
        } else if (!scheduled) {
            scheduled = true;
            TIMER.schedule(this::drain, INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void keepOrphan(byte[] b, int off, int len) {
        if (pending.size() == 0) {
            pending.writeBytes(ORPHAN_MARKER.getBytes(StandardCharsets.UTF_8));
        }
        int room = Math.max(0, ORPHAN_LIMIT - pending.size());
        pending.write(b, off, Math.min(room, len));
        droppedOrphanBytes += Math.max(0, len - room);
    }

    /** The batching replaces PrintStream's flush-per-line; {@link #drain()} publishes at once. */
    @Override
    public void flush() {
    }

    /** Publishes what is gathered (whole UTF-8 characters; a split one waits for its other bytes). */
    synchronized void drain() {
        scheduled = false;
        if (env == null || pending.size() == 0) {
            return;
        }
        byte[] bytes = pending.toByteArray();
        int cut = wholeCharacters(bytes);
        pending.reset();
        pending.write(bytes, cut, bytes.length - cut);
        if (cut > 0) {
            publish.accept(env, new String(bytes, 0, cut, StandardCharsets.UTF_8));
        }
    }

    /** A cell starts: what was printed while none ran is published to it first. */
    synchronized void attach(ShellReplyEnvironment cell) {
        env = cell;
        if (droppedOrphanBytes > 0) {
            pending.writeBytes(("\n[" + droppedOrphanBytes + " more bytes printed after the cell had finished were dropped]\n")
                    .getBytes(StandardCharsets.UTF_8));
            droppedOrphanBytes = 0;
        }
        drain();
    }

    /** The cell's reply is due: everything it printed is published first. */
    synchronized void detach(ShellReplyEnvironment cell) {
        if (env == cell) {
            drain();
            pending.reset();
            env = null;
        }
    }

    /** The length of the longest prefix of {@code b} that ends on a UTF-8 character boundary. */
    static int wholeCharacters(byte[] b) {
        int end = b.length;
        int lead = end - 1;
        while (lead >= 0 && end - lead <= 4 && (b[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0) {
            return end;
        }
        int first = b[lead] & 0xFF;
        int length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
        return end - lead >= length ? end : lead;
    }
}
