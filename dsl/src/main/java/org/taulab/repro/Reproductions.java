package org.taulab.repro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.repro.cart.CartExperiments;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every named table and figure of the reproduction notebooks. {@code %reproduce NAME} and the notebook's
 * cell run the same {@link Experiment}; {@code %reproduce} alone lists them. A notebook adds its experiments
 * in {@link #registerBuiltIns()} (one {@code registerAll()} per notebook).
 */
public final class Reproductions {
    private static final Map<String, Experiment> EXPERIMENTS = new LinkedHashMap<>();

    static {
        registerBuiltIns();
    }

    private Reproductions() {
    }

    private static void registerBuiltIns() {
        CartExperiments.registerAll();
        org.taulab.repro.dvbasi.DvBasiExperiments.registerAll();
    }

    public static synchronized void register(Experiment e) {
        EXPERIMENTS.put(e.name(), e);
    }

    public static synchronized List<Experiment> all() {
        return new ArrayList<>(EXPERIMENTS.values());
    }

    public static synchronized List<String> names() {
        return new ArrayList<>(EXPERIMENTS.keySet());
    }

    public static synchronized Experiment find(String name) {
        Experiment e = EXPERIMENTS.get(name);
        if (e == null) {
            throw new TauLabException("no table or figure named '" + name + "' (known: " + String.join(", ", EXPERIMENTS.keySet()) + ")");
        }
        return e;
    }

    /** Runs one experiment in the session's context (the embedded benchmark, quick or full mode). */
    public static Report run(String name) {
        return run(name, ReproContext.shared());
    }

    public static Report run(String name, ReproContext context) {
        return find(name).run(context);
    }

    /**
     * A notebook's closing table: every claim of its other experiments (run in {@code context}, so memoized results
     * are reused), under the caption "every claim of the {@code paper} notebook — reproduced N of M".
     */
    public static Report summary(String notebook, String reportName, String paper, ReproContext context) {
        java.util.List<Claim> claims = new ArrayList<>();
        for (Experiment e : all()) {
            if (e.notebook().equals(notebook) && !e.name().equals(reportName)) {
                claims.addAll(run(e.name(), context).claims());
            }
        }
        return new Report(reportName).add(org.taulab.Claims.table("every claim of the " + paper + " notebook — "
                + org.taulab.Claims.summary(claims), claims));
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
