package org.taulab.kernel;

/** What every notebook starts with: the usual imports and the DSL's entry point, imported statically. */
final class StartupCode {
    static final String IMPORTS = String.join("\n",
            "import java.util.*;",
            "import java.util.stream.*;",
            "import java.nio.file.*;",
            "import java.io.*;",
            "import static org.taulab.Tau.*;",
            "import static org.taulab.Learning.*;",
            "import org.taulab.dsl.learn.*;",
            "import org.taulab.Tau;",
            "import org.taulab.repro.*;",
            "import org.taulab.dsl.TauLabException;",
            "import org.taulab.dsl.tensor.*;",
            "import org.taulab.dsl.merge.*;",
            "import org.taulab.dsl.analysis.*;",
            "import org.taulab.dsl.eval.*;",
            "import tech.tablesaw.api.*;",
            "import org.knowm.xchart.*;",
            "import static org.taulab.kernel.Notebook.*;");

    /** A first evaluation that warms up JShell's compiler before the user's first cell. */
    static final String WARM_UP = "int $warmUp = 1 + 1;";

    private StartupCode() {
    }
}
