package org.taulab.kernel.magic;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.taulab.dsl.TauLabException;
import org.taulab.kernel.jshell.JavaSession;

/** {@code %%bash}: runs the cell with bash, streaming its stdout and stderr into the cell's output. */
final class BashMagic implements Magics.CellMagic {
    private final MagicHost host;

    BashMagic(MagicHost host) {
        this.host = host;
    }

    @Override
    public Object run(String args, String body) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", body).start();
        host.setRunningProcess(p);
        PrintStream out = System.out;
        PrintStream err = System.err;
        Thread outCopy = copier(p.getInputStream(), out);
        Thread errCopy = copier(p.getErrorStream(), err);
        try {
            p.getOutputStream().close();
            int status = p.waitFor();
            outCopy.join();
            errCopy.join();
            if (status != 0) {
                throw new TauLabException("bash exited with status " + status);
            }
        } finally {
            host.setRunningProcess(null);
            out.flush();
            err.flush();
        }
        return JavaSession.NO_VALUE;
    }

    private static Thread copier(InputStream in, PrintStream to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "taulab-bash-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
