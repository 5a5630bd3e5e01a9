package org.taulab.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taulab.dsl.Printable;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taulab inspect FILE}: one line per tensor with name, dtype, shape and L2 norm. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print one line per tensor of a safetensors file: name, dtype, shape, L2 norm (- for integer/bool tensors).")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.safetensors", description = "The file to inspect.")
    Path file;

    @Option(names = "--metadata", description = "Also print the __metadata__ entries first, as '# key: value' lines (default: ${DEFAULT-VALUE}).")
    boolean metadata;

    @Override
    public Integer call() {
        Weights w = Weights.load(file);
        if (metadata) {
            w.metadata().forEach((k, v) -> System.out.println("# " + Printable.of(k) + ": " + Printable.of(v)));
        }
        int width = 1;
        for (String k : w.keys()) {
            width = Math.max(width, Printable.of(k).length());
        }
        Map<String, Double> norms = w.tensorNorms();
        String row = "%-" + width + "s  %-4s  %-18s  %s";
        for (TensorEntry e : w.entries().values()) {
            Double norm = norms.get(e.name());
            System.out.println(String.format(row, Printable.of(e.name()), e.dtype(), e.shapeString(),
                    norm == null ? "-" : String.format("%.6g", norm)));
        }
        return 0;
    }
}
