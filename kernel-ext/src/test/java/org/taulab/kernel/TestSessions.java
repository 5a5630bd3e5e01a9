package org.taulab.kernel;

import org.taulab.kernel.jshell.JavaSession;

/** JShell sessions for tests, compiling against the test class path (surefire hides it from java.class.path). */
public final class TestSessions {
    private TestSessions() {
    }

    public static JavaSession start() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaSession s = new JavaSession(cp, System.out, System.err);
        s.eval("import static org.taulab.Tau.*; import org.taulab.dsl.tensor.*; import java.util.*;");
        return s;
    }
}
