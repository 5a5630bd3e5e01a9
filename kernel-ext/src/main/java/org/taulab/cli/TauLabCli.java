package org.taulab.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.taulab.dsl.TauLabException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code taulab} command line. Exit codes: 0 success, 1 data error, 2 usage error. */
@Command(name = "taulab", mixinStandardHelpOptions = true, version = "TauLab 0.1.0", usageHelpWidth = 120,
        description = "Model merging with task arithmetic: merge and inspect safetensors checkpoints, run the Jupyter kernel.")
public final class TauLabCli implements Runnable {
    public static final int DATA_ERROR = 1;
    public static final int USAGE_ERROR = 2;

    /** The subcommands in help order. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("merge", MergeCommand::commandLine);
        m.put("extract-lora", ExtractLoraCommand::new);
        m.put("inspect", InspectCommand::new);
        m.put("eval", EvalCommand::new);
        m.put("zoo", ZooCommand::new);
        m.put("learn", LearnCommand::new);
        m.put("demo", DemoCommand::new);
        m.put("kernel", KernelCommand::new);
        m.put("lab", LabCommand::new);
        m.put("reproduce", ReproduceCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (merge, extract-lora, inspect, eval, zoo, learn, demo, kernel, lab, reproduce)");
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (OutOfMemoryError e) {
            System.err.println("taulab: out of memory (" + e.getMessage() + ", at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB of heap): give the JVM more, e.g. JAVA_OPTS=-Xmx8g");
            status = DATA_ERROR;
        }
        System.exit(status);
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cli = commandLine(args.length > 0 ? args[0] : "");
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = ex;
            while (!(cause instanceof TauLabException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof TauLabException) {
                commandLine.getErr().println("taulab: " + org.taulab.dsl.Printable.message(cause.getMessage()));
                return cause instanceof UsageException ? USAGE_ERROR : DATA_ERROR;
            }
            throw ex;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            ex.getCommandLine().getErr().println("taulab: " + org.taulab.dsl.Printable.message(ex.getMessage()));
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return USAGE_ERROR;
        });
        return cli.execute(args);
    }

    /**
     * The command line with its subcommands. picocli reflects over every registered command before it parses: a
     * command that is {@code named} runs with only itself registered (a quarter of a second sooner); anything else
     * (help, typos, "") sees them all.
     */
    static CommandLine commandLine(String named) {
        CommandLine cli = new CommandLine(new TauLabCli());
        SUBCOMMANDS.forEach((name, command) -> {
            if (!SUBCOMMANDS.containsKey(named) || named.equals("help") || name.equals(named)) {
                cli.addSubcommand(name, command.get());
            }
        });
        // Double.valueOf takes "NaN", "Infinity" and "1e400" (which overflows to Infinity): no option means those
        // (registered after the subcommands: picocli passes a converter only to those already added)
        cli.registerConverter(Double.class, new FiniteNumber());
        cli.registerConverter(Double.TYPE, new FiniteNumber());
        return cli;
    }

    /** Refuses an output that must not be written (empty, a folder, a device, a FIFO, no such folder) before any work. */
    static void checkOut(java.nio.file.Path out) {
        try {
            org.taulab.dsl.io.OutputFile.check(out);
        } catch (TauLabException e) {
            throw new UsageException("--out " + e.getMessage());
        }
    }

    /**
     * A finite number, or a conversion error that picocli reports naming the option and the value given. A class,
     * not a lambda: the JDK 17 class-data archive of bin/taulab crashes while dumping a lambda proxy of picocli's
     * converter interface (which the dump excludes).
     */
    static final class FiniteNumber implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            return finite(text);
        }
    }

    static Double finite(String text) {
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a finite number");
        }
        return v;
    }

    /** A bad combination of arguments found after parsing (exit code 2). */
    static final class UsageException extends TauLabException {
        UsageException(String message) {
            super(message);
        }
    }
}
