package org.taulab.cli;

import java.io.PrintStream;
import org.taulab.dsl.Progress;

/**
 * Progress on stderr: on a terminal a one-line bar redrawn at most every 100 ms; otherwise (logs, CI) a
 * plain line at most every 15 s and when a step finishes. Both show the time left for the current label,
 * from its rate so far.
 */
final class TerminalProgress implements Progress {
    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;
    private String lastLabel;
    private long labelStart;
    private long labelStartDone;

    TerminalProgress(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null && !"true".equals(System.getenv("CI"));
    }

    @Override
    public synchronized void update(String label, long done, long total) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        boolean newLabel = !label.equals(lastLabel);
        if (newLabel) {
            labelStart = now;
            labelStartDone = done;
        }
        long interval = terminal ? 100_000_000L : 15_000_000_000L;
        if (!finished && !newLabel && now - lastDraw < interval) {
            return;
        }
        if (!terminal && newLabel && !finished) {
            lastLabel = label;
            lastDraw = now;
            return;
        }
        lastDraw = now;
        lastLabel = label;
        if (terminal) {
            int width = 30;
            int filled = total == 0 ? width : (int) (width * done / total);
            out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + left(now, done, total));
            if (finished) {
                out.println();
            }
        } else {
            out.println(label + ": " + done + "/" + total + left(now, done, total));
        }
        out.flush();
    }

    /** ", about 3 min 10 s left" once the label has run a while; "" before or when finished. */
    private String left(long now, long done, long total) {
        long elapsed = now - labelStart;
        long progressed = done - labelStartDone;
        if (done >= total || progressed <= 0 || elapsed < 2_000_000_000L) {
            return "";
        }
        long seconds = Math.round((total - done) * (elapsed / 1e9) / progressed);
        return seconds >= 60 ? ", about " + seconds / 60 + " min " + seconds % 60 + " s left" : ", about " + seconds + " s left";
    }
}
