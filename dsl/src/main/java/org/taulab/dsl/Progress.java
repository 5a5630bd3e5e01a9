package org.taulab.dsl;

/**
 * Progress of long work (a merge streaming tensors, a sweep, training). Front ends render it: the kernel
 * as an HTML bar updated in place, the command line as a terminal bar. Work that is not handed a
 * {@code Progress} reports to the session's ({@link #session()}), which the kernel sets for each cell.
 */
public interface Progress {
    Progress NONE = (label, done, total) -> { };

    /** {@code done} of {@code total} units of the step named {@code label} are finished. */
    void update(String label, long done, long total);

    /** Where long DSL operations report when no progress was passed to them. */
    static Progress session() {
        return SessionProgress.current;
    }

    /** Sets the session's progress ({@code null} for none). */
    static void setSession(Progress progress) {
        SessionProgress.current = progress == null ? NONE : progress;
    }
}

/** Holder of the session-wide progress sink. */
final class SessionProgress {
    static volatile Progress current = Progress.NONE;

    private SessionProgress() {
    }
}
