package org.taulab.repro;

import java.util.List;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Records the papers' claims a notebook checks on our benchmark:
 * {@code Claims.check("cart-beats-ta", "CART beats TA (paper: 84.7 vs 69.1)", ourCart > ourTa, "ours: 61.2 vs 52.9")}.
 * The kernel shows a claim as one line with ✓ or ✗ and a machine-readable bundle that
 * {@code taulab reproduce} collects from the executed notebooks.
 */
public final class Claims {
    private Claims() {
    }

    /** A claim of a paper and whether it holds here, with our numbers as evidence. */
    public static Claim check(String id, String statement, boolean holds, String evidence) {
        return new Claim(id, statement, holds ? Claim.Status.HOLDS : Claim.Status.FAILS, evidence, "");
    }

    /** A claim that cannot be checked yet (the experiment behind it is not available): listed, not counted. */
    public static Claim pending(String id, String statement, String reason) {
        return new Claim(id, statement, Claim.Status.PENDING, reason, "");
    }

    /** Claims as a table: holds (✓/✗/…), id, claim, ours. */
    public static Table table(String title, List<Claim> claims) {
        StringColumn holds = StringColumn.create("holds");
        StringColumn id = StringColumn.create("id");
        StringColumn statement = StringColumn.create("paper's claim");
        StringColumn evidence = StringColumn.create("ours");
        for (Claim c : claims) {
            holds.append(c.status().symbol());
            id.append(c.id());
            statement.append(c.statement());
            evidence.append(c.evidence());
        }
        return Table.create(title, holds, id, statement, evidence);
    }

    /** {@code reproduced N of M} over the counted (not pending) claims. */
    public static String summary(List<Claim> claims) {
        long counted = claims.stream().filter(Claim::counted).count();
        long holding = claims.stream().filter(Claim::holds).count();
        return "claims reproduced: " + holding + " of " + counted;
    }
}
