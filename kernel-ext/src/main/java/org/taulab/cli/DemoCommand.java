package org.taulab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.taulab.dsl.analysis.Analyses;
import org.taulab.dsl.merge.Merge;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.synthetic.SyntheticCheckpoints;
import org.taulab.dsl.tensor.TaskVector;
import org.taulab.dsl.tensor.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code taulab demo}: generates small CLIP-shaped checkpoints, merges them with every training-free
 * method of the catalogue (at its defaults) and prints what each merge kept of each task vector.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = "Generate synthetic CLIP-shaped checkpoints, merge them with every method, print a table.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "out/demo", description = "Where checkpoints and merged models go (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--tasks", defaultValue = "4", description = "Number of fine-tuned models (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--width", defaultValue = "128", description = "Transformer width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--seed", defaultValue = "0", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<Path> files = SyntheticCheckpoints.write(dir.resolve("checkpoints"),
                SyntheticCheckpoints.vitShapes(width, layers, 4, 50, 64), tasks, seed);
        Weights pre = Weights.load(files.get(0));
        List<Weights> fts = new ArrayList<>();
        files.subList(1, files.size()).forEach(p -> fts.add(Weights.load(p)));
        MergeInputs in = new MergeInputs(pre, fts);
        List<TaskVector> taus = in.taskVectors();
        System.out.printf("%d fine-tuned models of %d parameters each in %s%n%n", tasks, pre.parameterCount(), files.get(0).getParent());
        System.out.println(Analyses.cosineMatrix(taus, in.tasks()).setName("cosine similarity of task vectors").print());
        System.out.println();

        List<Merge> merges = new ArrayList<>();
        for (org.taulab.dsl.merge.MergeMethod m : MergeCatalogue.all()) {
            if (m.models() > 0 && m.models() != tasks) {
                System.out.println(m.name() + " merges exactly " + m.models() + " models: left out (--tasks " + m.models() + " includes it)");
            } else {
                merges.add(m.create());
            }
        }
        StringColumn method = StringColumn.create("method");
        StringColumn params = StringColumn.create("parameters");
        DoubleColumn norm = DoubleColumn.create("‖θ−θ_pre‖");
        DoubleColumn meanKept = DoubleColumn.create("mean kept");
        DoubleColumn minKept = DoubleColumn.create("min kept");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        for (Merge merge : merges) {
            long start = System.nanoTime();
            Path out = dir.resolve("merged-" + merge.method() + ".safetensors");
            merge.merge(in).save(out);
            double elapsed = (System.nanoTime() - start) / 1e9;
            TaskVector delta = Weights.load(out).minus(pre);
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            for (TaskVector tau : taus) {
                double kept = delta.dot(tau) / tau.dot(tau);
                sum += kept;
                min = Math.min(min, kept);
            }
            method.append(merge.method());
            params.append(merge.parameters().toString());
            norm.append(delta.norm());
            meanKept.append(sum / taus.size());
            minKept.append(min);
            seconds.append(elapsed);
        }
        Table table = Table.create("merges (kept = ⟨θ−θ_pre, τ_t⟩ / ‖τ_t‖², 1 = the task's whole vector)")
                .addColumns(method, params, norm, meanKept, minKept, seconds);
        System.out.println(table.print());
        System.out.println("\nmerged models written to " + dir);
        return 0;
    }
}
