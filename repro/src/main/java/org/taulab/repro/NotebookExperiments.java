package org.taulab.repro;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One notebook's experiments in notebook order, as its paper's package declares them. */
public final class NotebookExperiments {
    private final String notebook;
    private final List<Experiment> experiments = new ArrayList<>();

    public NotebookExperiments(String notebook) {
        this.notebook = notebook;
    }

    public NotebookExperiments add(String name, String paper, String title, Function<ReproContext, Report> body) {
        experiments.add(new Experiment(name, notebook, paper, title, body));
        return this;
    }

    public List<Experiment> all() {
        return List.copyOf(experiments);
    }
}
