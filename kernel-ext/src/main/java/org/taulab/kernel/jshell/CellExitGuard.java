package org.taulab.kernel.jshell;

import java.security.Permission;

/**
 * Refuses {@code System.exit} and {@code Runtime.halt} from a cell (and from threads a cell started): the call throws
 * a {@link SecurityException} that the cell reports, instead of ending the kernel silently. It is a security manager
 * that checks nothing else (Java 17 still allows installing one; where a later JDK refuses, the guard is simply
 * absent). The common fork-join pool is created first, so that it keeps ordinary worker threads.
 */
final class CellExitGuard extends SecurityManager {
    private static volatile boolean installed;

    private final ThreadGroup cells;

    private CellExitGuard(ThreadGroup cells) {
        this.cells = cells;
    }

    /** Installs the guard once for the JVM (where the JDK allows it). */
    static synchronized void install(ThreadGroup cells) {
        if (installed) {
            return;
        }
        java.util.concurrent.ForkJoinPool.commonPool();
        try {
            System.setSecurityManager(new CellExitGuard(cells));
            installed = true;
        } catch (UnsupportedOperationException | SecurityException e) {
            // a JDK without security managers: cells can end the kernel, as before
        }
    }

    @Override
    public void checkPermission(Permission perm) {
        if (perm instanceof RuntimePermission && perm.getName().startsWith("exitVM") && inCell()) {
            throw new SecurityException("System.exit / Runtime.halt (status " + perm.getName().substring(Math.min(perm.getName().length(), 7))
                    + ") in a cell is refused: the kernel keeps running (restart or shut it down from the notebook)");
        }
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        checkPermission(perm);
    }

    private boolean inCell() {
        return cells.parentOf(Thread.currentThread().getThreadGroup());
    }
}
