package org.taulab.dsl;

/**
 * Progress of long work (a merge streaming tensors, a sweep, training). Front ends render it: the kernel
 * as an HTML bar updated in place, the command line as a terminal bar.
 */
public interface Progress {
    Progress NONE = (label, done, total) -> { };

    /** {@code done} of {@code total} units of the step named {@code label} are finished. */
    void update(String label, long done, long total);
}
