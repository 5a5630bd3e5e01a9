package org.taulab.kernel.magic;

import java.util.function.Consumer;
import org.taulab.kernel.jshell.JavaSession;
import org.taulab.repro.Report;
import org.taulab.repro.catalogue.Reproductions;

/**
 * {@code %reproduce NAME}: runs one named table or figure of the reproduction notebooks (the same code as
 * the notebook's cell) and shows its tables, charts, claims and notes in order; {@code %reproduce} alone
 * lists the names. Quick mode ({@code TAULAB_QUICK=1}) runs the same code on fewer samples and grid points.
 */
final class ReproduceMagic implements Magics.LineMagic {
    private final Consumer<Object> display;

    ReproduceMagic(Consumer<Object> display) {
        this.display = display;
    }

    @Override
    public Object run(String args) {
        String name = args.strip();
        if (name.isEmpty()) {
            return Reproductions.table();
        }
        Report report = Reproductions.run(name);
        report.items().forEach(display);
        return JavaSession.NO_VALUE;
    }
}
