package org.taulab.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.taulab.kernel.install.KernelSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taulab kernel install [--user | --prefix DIR]}: writes the Jupyter kernelspec. */
@Command(name = "kernel", mixinStandardHelpOptions = true, description = "The TauLab Jupyter kernel.", subcommands = {KernelCommand.Install.class})
final class KernelCommand implements Runnable {
    @Override
    public void run() {
        throw new TauLabCli.UsageException("missing subcommand: kernel install [--user | --prefix DIR]");
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Installs the kernelspec '" + KernelSpec.NAME + "' (\"" + KernelSpec.DISPLAY_NAME
            + "\") for this java and class path.")
    static final class Install implements Callable<Integer> {
        static final class Where {
            @Option(names = "--user", description = "into the user's Jupyter data folder (the default)")
            boolean user;

            @Option(names = "--prefix", paramLabel = "DIR", description = "into DIR/share/jupyter/kernels")
            Path prefix;
        }

        @ArgGroup(exclusive = true)
        Where where;

        @Override
        public Integer call() throws Exception {
            Path prefix = where == null ? null : where.prefix;
            Path dir = KernelSpec.install(KernelSpec.kernelsDir(prefix), javaBinary(), classpath());
            System.out.println("installed kernelspec " + KernelSpec.NAME + " in " + dir);
            return 0;
        }
    }

    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath();
    }

    /** This JVM's class path with absolute entries. */
    static String classpath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
