package org.taulab.repro;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * A paper's qualitative claim and whether it holds on our benchmark: an id (stable, for reports), the
 * statement with the paper's numbers, the verdict and our evidence (our numbers). A claim whose experiment
 * cannot run yet is {@link Status#PENDING}: it is listed but not counted.
 */
public record Claim(String id, String statement, Status status, String evidence, String source) {
    /** The machine-readable MIME type the kernel attaches to a claim, and reports collect. */
    public static final String MIME_TYPE = "application/vnd.taulab.claim+json";

    public enum Status {
        HOLDS("✓"), FAILS("✗"), PENDING("…");

        private final String symbol;

        Status(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public Claim {
        if (id == null || !id.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new TauLabException("claim id '" + id + "': use lower-case letters, digits, '.' and '-'");
        }
        if (statement == null || statement.isBlank()) {
            throw new TauLabException("claim " + id + ": empty statement");
        }
        evidence = evidence == null ? "" : evidence;
        source = source == null ? "" : source;
    }

    public boolean counted() {
        return status != Status.PENDING;
    }

    public boolean holds() {
        return status == Status.HOLDS;
    }

    /** The same claim attributed to {@code where} (an experiment or notebook name). */
    public Claim from(String where) {
        return new Claim(id, statement, status, evidence, where);
    }

    /** The JSON object of the claim's MIME bundle entry. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("claim", statement);
        m.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        m.put("holds", status == Status.PENDING ? null : holds());
        m.put("evidence", evidence);
        if (!source.isEmpty()) {
            m.put("source", source);
        }
        return m;
    }

    /** One line: {@code ✓ id: statement — evidence}. */
    @Override
    public String toString() {
        return status.symbol() + " " + id + ": " + statement + (evidence.isEmpty() ? "" : " — " + evidence);
    }
}
