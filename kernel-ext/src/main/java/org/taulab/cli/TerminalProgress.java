package org.taulab.cli;

import java.io.PrintStream;
import org.taulab.dsl.Progress;

/**
 * A one-line terminal progress bar on stderr, redrawn at most every 100 ms; silent when stderr is not
 * a terminal (logs stay clean).
 */
final class TerminalProgress implements Progress {
    private final PrintStream out;
    private final boolean enabled;
    private long lastDraw;

    TerminalProgress(PrintStream out) {
        this.out = out;
        this.enabled = System.console() != null && !"true".equals(System.getenv("CI"));
    }

    @Override
    public void update(String label, long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (!finished && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
        if (finished) {
            out.println();
        }
        out.flush();
    }
}
