package org.taulab.kernel.magic;

import org.taulab.kernel.jshell.JavaSession;

/** What magics need from the kernel. */
public interface MagicHost {
    JavaSession session();

    /** Runs cell source (Java, magics, or both) and returns its value. */
    Object runCell(String source);

    Magics magics();

    /** Registers a running external process, so that an interrupt kills it; null when it ended. */
    void setRunningProcess(Process process);

    /** Shows {@code value} in the running cell's output now (rendered as a cell's result is). */
    void display(Object value);
}
