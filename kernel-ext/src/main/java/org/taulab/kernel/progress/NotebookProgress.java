package org.taulab.kernel.progress;

import java.util.UUID;
import java.util.function.LongSupplier;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.taulab.dsl.Progress;

/**
 * The DSL's progress shown in a notebook: an HTML bar sent once as display data with a display id and
 * then updated in place, at most {@link #UPDATES_PER_SECOND} times a second (the last update, when the
 * work is done, is always sent).
 */
public final class NotebookProgress implements Progress {
    /** Where the bar goes: the cell's output (first show, then updates of the same display id). */
    public interface Sink {
        void show(DisplayData data);

        void update(DisplayData data);
    }

    static final int UPDATES_PER_SECOND = 4;
    private static final long MIN_INTERVAL_NS = 1_000_000_000L / UPDATES_PER_SECOND;

    private final Sink sink;
    private final LongSupplier clock;
    private final String displayId = "taulab-progress-" + UUID.randomUUID();
    private boolean shown;
    private long lastSent;
    private String lastLabel;

    public NotebookProgress(Sink sink, LongSupplier nanoClock) {
        this.sink = sink;
        this.clock = nanoClock;
    }

    public NotebookProgress(Sink sink) {
        this(sink, System::nanoTime);
    }

    @Override
    public synchronized void update(String label, long done, long total) {
        long now = clock.getAsLong();
        boolean finished = done >= total;
        if (shown && !finished && label.equals(lastLabel) && now - lastSent < MIN_INTERVAL_NS) {
            return;
        }
        DisplayData data = new DisplayData(text(label, done, total));
        data.putHTML(html(label, done, total));
        data.setDisplayId(displayId);
        if (shown) {
            sink.update(data);
        } else {
            sink.show(data);
            shown = true;
        }
        lastSent = now;
        lastLabel = label;
    }

    public String displayId() {
        return displayId;
    }

    static String html(String label, long done, long total) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        return String.format("<div style=\"font-family:monospace;font-size:12px\">%s "
                + "<progress value=\"%d\" max=\"%d\" style=\"width:40%%;vertical-align:middle\"></progress> %d/%d (%.0f%%)</div>",
                escape(label), done, Math.max(total, 1), done, total, 100 * fraction);
    }

    static String text(String label, long done, long total) {
        int width = 30;
        int filled = total <= 0 ? width : (int) Math.min(width, width * done / total);
        return label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
