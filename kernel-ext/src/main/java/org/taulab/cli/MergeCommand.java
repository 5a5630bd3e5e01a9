package org.taulab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeMethod;
import org.taulab.dsl.merge.ParamSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taulab merge METHOD --base PRE --out OUT FT...}: one subcommand per entry of the library's merge
 * catalogue (built by {@link MergeMethodCommand}); {@code taulab merge --list} prints the catalogue.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {"Merge fine-tuned checkpoints (safetensors) into one model: taulab merge METHOD [options] FT...",
                "Every method and its options: taulab merge --list; one method's: taulab merge METHOD --help.",
                "Exit codes: 0 ok, 1 data error, 2 usage error."})
final class MergeCommand implements Callable<Integer> {
    @Option(names = "--list", description = "Print every merge method with its parameters and defaults.")
    boolean list;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text", description = "With --list: text or markdown (the README's methods table) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--config", paramLabel = "MERGE.yaml", description = "Run the merge a config describes (its merge_method names the method): "
            + "taulab merge --config MERGE.yaml --out OUT [--shard-size SIZE] [--dtype D]; the same as taulab merge METHOD --config ...")
    java.nio.file.Path config;

    @CommandLine.Unmatched
    List<String> unmatched = new ArrayList<>();

    /** The merge command with one subcommand per catalogue entry. */
    static CommandLine commandLine() {
        CommandLine merge = new CommandLine(new MergeCommand());
        for (MergeMethod m : MergeCatalogue.all()) {
            merge.addSubcommand(MergeMethodCommand.commandLine(m));
        }
        return merge;
    }

    @Override
    public Integer call() {
        if (config != null) {
            String method;
            try {
                method = org.taulab.dsl.merge.config.MergeConfig.read(config).method(null).name();
            } catch (org.taulab.dsl.TauLabException e) {
                throw new TauLabCli.UsageException(e.getMessage());
            }
            List<String> args = new ArrayList<>(List.of("merge", method, "--config", config.toString()));
            args.addAll(unmatched);
            return TauLabCli.run(args.toArray(String[]::new));
        }
        if (!unmatched.isEmpty()) {
            throw new TauLabCli.UsageException("unknown merge method '" + unmatched.get(0) + "' (" + String.join(", ", MergeCatalogue.names())
                    + "; taulab merge --list)");
        }
        if (!list) {
            throw new TauLabCli.UsageException("name a merge method (" + String.join(", ", MergeCatalogue.names()) + "; taulab merge --list)");
        }
        switch (format) {
            case "text" -> System.out.print(text());
            case "markdown" -> System.out.print(MergeCatalogue.markdownTable());
            default -> throw new TauLabCli.UsageException("--format " + format + " is not text or markdown");
        }
        return 0;
    }

    /** The catalogue as the command line offers it: each method, whether it needs --base, its options. */
    static String text() {
        StringBuilder sb = new StringBuilder();
        for (MergeMethod m : MergeCatalogue.all()) {
            sb.append(String.format("%-16s %s%n", m.name(), m.summary()));
            sb.append(String.format("%-16s %s%s; %s%n", "", m.needsBase() ? "needs --base PRE" : "no base needed",
                    m.models() > 0 ? ", exactly " + m.models() + " models" : "", m.source()));
            for (ParamSpec p : m.params()) {
                sb.append(String.format("%-16s   %-22s %s (default %s)%n", "", MergeMethodCommand.optionSyntax(p), p.doc(), p.defaultText()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
