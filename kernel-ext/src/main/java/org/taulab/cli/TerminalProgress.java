package org.taulab.cli;

import java.io.PrintStream;
import org.taulab.dsl.Progress;

/**
 * Progress on stderr: on a terminal a one-line bar redrawn at most every 100 ms; otherwise (logs, CI) a
 * plain line at most every 15 s and when a step finishes.
 */
final class TerminalProgress implements Progress {
    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;
    private String lastLabel;

    TerminalProgress(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null && !"true".equals(System.getenv("CI"));
    }

    @Override
    public synchronized void update(String label, long done, long total) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        boolean newLabel = !label.equals(lastLabel);
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
            out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
            if (finished) {
                out.println();
            }
        } else {
            out.println(label + ": " + done + "/" + total);
        }
        out.flush();
    }
}
