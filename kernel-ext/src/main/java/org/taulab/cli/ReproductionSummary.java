package org.taulab.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taulab.dsl.TauLabException;

/** What the notebook runner wrote to {@code summary.json}: per notebook its time, outputs, claims and errors. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ReproductionSummary(boolean quick, double seconds, String kernelspec, List<NotebookRun> notebooks) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NotebookRun(String name, String source, String notebook, String html, double seconds, int cells, int tables,
                       List<Figure> figures, List<ClaimResult> claims, List<CellFailure> errors, boolean written_back) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Figure(String file, int cell, String title) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClaimResult(String id, String claim, String status, Boolean holds, String evidence, String source, String notebook, int cell) {
        boolean counted() {
            return !"pending".equals(status);
        }

        String symbol() {
            return switch (status) {
                case "holds" -> "✓";
                case "fails" -> "✗";
                default -> "…";
            };
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CellFailure(int cell, int code_cell, String ename, String evalue, String source) {
    }

    static ReproductionSummary read(Path file) {
        try {
            return new ObjectMapper().readValue(file.toFile(), ReproductionSummary.class);
        } catch (IOException e) {
            throw new TauLabException("cannot read the notebook runner's summary " + file + ": " + e.getMessage());
        }
    }

    List<ClaimResult> claims() {
        List<ClaimResult> all = new ArrayList<>();
        notebooks.forEach(n -> all.addAll(n.claims()));
        return all;
    }

    long counted() {
        return claims().stream().filter(ClaimResult::counted).count();
    }

    long holding() {
        return claims().stream().filter(c -> "holds".equals(c.status())).count();
    }

    /** {@code claims reproduced: N of M} (pending claims are not counted). */
    String headline() {
        return "claims reproduced: " + holding() + " of " + counted();
    }

    boolean failed() {
        return notebooks.stream().anyMatch(n -> !n.errors().isEmpty());
    }
}
