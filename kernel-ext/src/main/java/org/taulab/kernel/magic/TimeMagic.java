package org.taulab.kernel.magic;

import java.util.Locale;

/** {@code %time CODE} and {@code %%time}: runs the code and prints its wall time. */
final class TimeMagic implements Magics.LineMagic, Magics.CellMagic {
    private final MagicHost host;

    TimeMagic(MagicHost host) {
        this.host = host;
    }

    @Override
    public Object run(String args) {
        return timed(args);
    }

    @Override
    public Object run(String args, String body) {
        return timed(body);
    }

    private Object timed(String code) {
        long start = System.nanoTime();
        try {
            return host.runCell(code);
        } finally {
            System.out.println("Wall time: " + format(System.nanoTime() - start));
            System.out.flush();
        }
    }

    static String format(long nanos) {
        if (nanos < 1_000_000L) {
            return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
