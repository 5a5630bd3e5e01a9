package org.taulab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/** {@code taulab eval}: accuracy of an encoder on every task of a zoo, with the zoo's frozen heads. */
@Command(name = "eval", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = "Evaluate an encoder on every task of a zoo (accuracy in percent, with the frozen heads).")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--zoo", defaultValue = Zoo.DEFAULT, description = "The zoo (default: ${DEFAULT-VALUE}, the embedded benchmark).")
    String zooName;

    @Option(names = "--weights", required = true, paramLabel = "pretrained|finetuned|FILE.safetensors",
            description = "pretrained, finetuned (each task with its own fine-tuned encoder: the individual row), or a safetensors file.")
    String weights;

    @Option(names = "--split", defaultValue = "test", description = "val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--format", defaultValue = "table", description = "table or csv (csv: task,accuracy,normalized and a final average row; percentages to two decimals) (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        if (!split.equals("val") && !split.equals("test")) {
            throw new TauLabCli.UsageException("--split must be val or test, not '" + split + "'");
        }
        if (!format.equals("table") && !format.equals("csv")) {
            throw new TauLabCli.UsageException("--format must be table or csv, not '" + format + "'");
        }
        Zoo zoo = Zoo.open(zooName);
        ZooEvaluator ev = ZooEvaluator.of(zoo);
        TerminalProgress progress = new TerminalProgress(System.err);
        Map<String, Double> acc;
        String title;
        switch (weights) {
            case "pretrained" -> {
                acc = ev.accuracies(zoo.pretrained(), split, progress);
                title = "pretrained";
            }
            case "finetuned" -> {
                acc = ev.individual(split);
                title = "individual fine-tuned";
            }
            default -> {
                Path file = Path.of(weights);
                if (!Files.isRegularFile(file) && !Files.isDirectory(file)) {
                    throw new TauLabCli.UsageException("--weights " + weights + ": not pretrained, finetuned, or an existing file or model folder");
                }
                Weights w = Weights.load(file);
                zoo.pretrained().requireSameFloatLayout(w);
                acc = ev.accuracies(w, split, progress);
                title = file.getFileName().toString();
            }
        }
        Table table = ev.table(title + " on " + zoo.name() + " (" + split + ")", acc, split);
        if (format.equals("csv")) {
            System.out.println("task,accuracy,normalized");
            for (int r = 0; r < table.rowCount(); r++) {
                System.out.printf(java.util.Locale.ROOT, "%s,%.2f,%.2f%n", table.stringColumn("task").get(r),
                        table.doubleColumn("accuracy").get(r), table.doubleColumn("normalized").get(r));
            }
        } else {
            for (String column : List.of("accuracy", "normalized")) {
                table.doubleColumn(column).setPrintFormatter(tech.tablesaw.columns.numbers.NumberColumnFormatter.fixedWithGrouping(2));
            }
            System.out.println(table.print());
        }
        return 0;
    }
}
