package org.taulab.kernel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/**
 * jjava's notebook streams (display, stdin), attachable to a request from the kernel's own execute handler, with
 * TauLab's own stdout and stderr ({@link CellOutputStream}) in place of jjava's, which sent one message per line
 * and dropped what a thread printed between cells.
 */
final class KernelIO extends JupyterIO {
    private final CellOutputStream stdout = new CellOutputStream(ShellReplyEnvironment::writeToStdOut);
    private final CellOutputStream stderr = new CellOutputStream(ShellReplyEnvironment::writeToStdErr);
    final PrintStream cellOut = new PrintStream(stdout, true, StandardCharsets.UTF_8);
    final PrintStream cellErr = new PrintStream(stderr, true, StandardCharsets.UTF_8);

    KernelIO() {
        super(StandardCharsets.UTF_8);
    }

    void attach(ShellReplyEnvironment env, boolean stdinEnabled) {
        setEnv(env);
        setJupyterInEnabled(stdinEnabled);
        stdout.attach(env);
        stderr.attach(env);
    }

    /** Publishes what the cell printed so far (before a display or the reply, which must come after it). */
    void drain() {
        cellOut.flush();
        cellErr.flush();
        stdout.drain();
        stderr.drain();
    }

    void detach(ShellReplyEnvironment env) {
        cellOut.flush();
        cellErr.flush();
        stdout.detach(env);
        stderr.detach(env);
        retractEnv(env);
    }
}
