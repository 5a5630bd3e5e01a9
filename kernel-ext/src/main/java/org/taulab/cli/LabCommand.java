package org.taulab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.taulab.dsl.TauLabException;
import org.taulab.kernel.install.KernelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taulab lab}: installs the kernelspec and starts Jupyter Notebook on localhost. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "Starts Jupyter Notebook on localhost with the TauLab kernel installed.")
final class LabCommand implements Callable<Integer> {
    @Option(names = "--port", description = "port (default ${DEFAULT-VALUE})", defaultValue = "8888")
    int port;

    @Option(names = "--dir", description = "notebook folder (default: the current folder)")
    Path dir;

    @Option(names = "--browser", description = "open a browser")
    boolean browser;

    @Override
    public Integer call() throws Exception {
        KernelSpec.install(KernelSpec.kernelsDir(null), KernelCommand.javaBinary(), KernelCommand.classpath());
        List<String> command = new ArrayList<>(List.of("jupyter", "notebook", "--ip=127.0.0.1", "--port=" + port,
                "--MultiKernelManager.default_kernel_name=" + KernelSpec.NAME));
        if (!browser) {
            command.add("--no-browser");
        }
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--allow-root");  // Jupyter refuses to start as root without it (containers, CI machines)
        }
        if (dir != null) {
            command.add("--notebook-dir=" + dir.toAbsolutePath());
        }
        Process p;
        try {
            p = new ProcessBuilder(command).inheritIO().start();
        } catch (java.io.IOException e) {
            throw new TauLabException("cannot start Jupyter Notebook (Debian package jupyter-notebook): " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p.waitFor();
    }
}
