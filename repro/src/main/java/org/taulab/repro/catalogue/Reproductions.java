package org.taulab.repro.catalogue;

import java.util.ArrayList;
import java.util.List;
import org.taulab.dsl.TauLabException;
import org.taulab.repro.Experiment;
import org.taulab.repro.Report;
import org.taulab.repro.ReproContext;
import org.taulab.repro.cart.CartExperiments;
import org.taulab.repro.dvbasi.DvBasiExperiments;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every named table and figure of the reproduction notebooks, in notebook order. {@code %reproduce NAME} and the
 * notebook's cell run the same {@link Experiment}; {@code %reproduce} alone lists them. A paper's package lists its
 * own experiments ({@code CartExperiments.all()}); a new notebook adds its list here.
 */
public final class Reproductions {
    private static final List<Experiment> ALL = all(List.of(CartExperiments.all(), DvBasiExperiments.all()));

    private Reproductions() {
    }

    private static List<Experiment> all(List<List<Experiment>> notebooks) {
        List<Experiment> all = new ArrayList<>();
        notebooks.forEach(all::addAll);
        return List.copyOf(all);
    }

    public static List<Experiment> all() {
        return ALL;
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        ALL.forEach(e -> names.add(e.name()));
        return names;
    }

    public static Experiment find(String name) {
        for (Experiment e : ALL) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new TauLabException("no table or figure named '" + name + "' (known: " + String.join(", ", names()) + ")");
    }

    /** Runs one experiment in the session's context (the embedded benchmark, quick or full mode). */
    public static Report run(String name) {
        return run(name, ReproContext.shared());
    }

    public static Report run(String name, ReproContext context) {
        return find(name).run(context);
    }

    /** The list {@code %reproduce} shows: name, notebook, paper reference, what it shows. */
    public static Table table() {
        StringColumn name = StringColumn.create("name");
        StringColumn notebook = StringColumn.create("notebook");
        StringColumn paper = StringColumn.create("paper");
        StringColumn title = StringColumn.create("shows");
        for (Experiment e : all()) {
            name.append(e.name());
            notebook.append(e.notebook());
            paper.append(e.paper());
            title.append(e.title());
        }
        return Table.create("tables and figures (%reproduce NAME)", name, notebook, paper, title);
    }
}
