package org.taulab.kernel.jshell;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;

/** Completion, inspection and completeness of Java source, from JShell's source analysis. */
public final class SourceAssist {
    /** Completeness answers, as the Jupyter protocol spells them. */
    public enum Completeness { COMPLETE, INCOMPLETE, INVALID }

    private final SourceCodeAnalysis analysis;

    public SourceAssist(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    /** Candidates for the identifier ending at {@code cursor}; {@code start[0]} receives where it begins. */
    public List<String> complete(String code, int cursor, int[] start) {
        int[] anchor = new int[1];
        List<Suggestion> suggestions = analysis.completionSuggestions(code, cursor, anchor);
        start[0] = anchor[0];
        Set<String> matches = new LinkedHashSet<>();
        suggestions.stream().filter(Suggestion::matchesType).forEach(s -> matches.add(s.continuation()));
        suggestions.forEach(s -> matches.add(s.continuation()));
        return List.copyOf(matches);
    }

    /** Signature and javadoc of what is at {@code cursor}, or null when there is nothing there. */
    public String inspect(String code, int cursor, boolean detail) {
        List<Documentation> docs = analysis.documentation(code, cursor, true);
        if (docs.isEmpty() && (cursor >= code.length() || code.charAt(cursor) != '(')) {
            docs = analysis.documentation(code.substring(0, cursor) + "(" + code.substring(cursor), cursor + 1, true);
        }
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Documentation d : docs) {
            if (b.length() > 0) {
                b.append("\n\n");
            }
            b.append(d.signature());
            String javadoc = d.javadoc() != null && !d.javadoc().isBlank() ? d.javadoc() : SourceJavadoc.lookup(d.signature(), SourceAssist.class.getClassLoader());
            if (javadoc != null && !javadoc.isBlank()) {
                b.append("\n\n").append(javadoc.strip());
            }
        }
        return b.toString();
    }

    /**
     * Whether {@code code} is ready to run. JShell's {@code UNKNOWN} claims to be complete but means the
     * source cannot be parsed, so it counts as invalid here.
     */
    public Completeness completeness(String code) {
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> {
                    if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY && !JavaSyntax.parses(info.source())) {
                        return Completeness.INVALID;
                    }
                    remaining = info.remaining();
                }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return Completeness.INCOMPLETE;
                }
                default -> {
                    return Completeness.INVALID;
                }
            }
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
        }
        return Completeness.COMPLETE;
    }
}
