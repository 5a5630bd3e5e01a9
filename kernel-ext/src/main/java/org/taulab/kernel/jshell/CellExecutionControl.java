package org.taulab.kernel.jshell;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import jdk.jshell.execution.LocalExecutionControl;

/**
 * Runs snippets in the kernel's own JVM, each on a fresh thread, and keeps the value object of the last
 * snippet (JShell itself only hands back its string form) and the exception it threw. {@link #stop()}
 * really stops a running snippet, busy loops included: it stops the snippet's thread instead of
 * cancelling a future that the snippet never looks at.
 */
public final class CellExecutionControl extends LocalExecutionControl {
    private static final ThreadGroup SNIPPETS = new ThreadGroup("taulab-snippets");

    static {
        CellExitGuard.install(SNIPPETS);
    }

    private volatile Thread running;
    private volatile boolean stopRequested;
    private volatile Object lastValue;
    private volatile Throwable lastThrown;
    private volatile String lastClassName;

    /** The value the last snippet returned (null for statements and declarations without a value). */
    public Object lastValue() {
        return lastValue;
    }

    /** The exception the last snippet threw, as the user's code threw it, or null. */
    public Throwable lastThrown() {
        return lastThrown;
    }

    /** Whether the last snippet ended because {@link #stop()} was called. */
    public boolean wasStopped() {
        return stopRequested;
    }

    /** Forgets the last value and exception; called before each evaluation. */
    public void reset() {
        lastValue = null;
        lastThrown = null;
        lastClassName = null;
        stopRequested = false;
    }

    /** The wrapper class of the last snippet run; running its {@code do_it$} again re-runs the snippet. */
    public String lastClassName() {
        return lastClassName;
    }

    @Override
    public String invoke(String className, String methodName) throws RunException, EngineTerminationException, InternalException {
        lastClassName = className;
        return super.invoke(className, methodName);
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object[] result = new Object[1];
        Throwable[] thrown = new Throwable[1];
        Thread snippet = new Thread(SNIPPETS, () -> {
            try {
                result[0] = doitMethod.invoke(null);
            } catch (InvocationTargetException e) {
                thrown[0] = e;
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "taulab-cell");
        snippet.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        running = snippet;
        snippet.start();
        try {
            snippet.join();
        } finally {
            running = null;
        }
        if (stopRequested) {
            throw new StoppedException();
        }
        if (thrown[0] instanceof InvocationTargetException ite) {
            lastThrown = ite.getCause();
            if (ite.getCause() instanceof ThreadDeath) {
                throw new StoppedException();
            }
            throw ite;
        }
        if (thrown[0] != null) {
            lastThrown = thrown[0];
            throw (thrown[0] instanceof Exception e) ? e : new RuntimeException(thrown[0]);
        }
        lastValue = result[0];
        return valueString(result[0]);
    }

    /**
     * Stops the running snippet. {@code Thread.stop} delivers the stop at the loop's next safepoint poll,
     * so a busy loop ends within milliseconds; JVMs without {@code Thread.stop} get an interrupt.
     */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        Thread t = running;
        if (t == null) {
            return;
        }
        stopRequested = true;
        try {
            t.stop();
        } catch (UnsupportedOperationException e) {
            t.interrupt();
        }
    }

    /** Whether a snippet is running now. */
    public boolean isRunning() {
        return running != null;
    }
}
