package org.taulab.repro;

import java.util.function.Function;

/**
 * One named table or figure of the reproduction notebooks: {@code %reproduce NAME} and the notebook cell run
 * the same {@link #body}. {@code notebook} is where it appears; {@code paper} which table or figure of
 * which paper it reproduces.
 */
public record Experiment(String name, String notebook, String paper, String title, Function<ReproContext, Report> body) {
    public Report run(ReproContext context) {
        return body.apply(context);
    }
}
