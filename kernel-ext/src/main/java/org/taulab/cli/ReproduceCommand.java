package org.taulab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.taulab.Tau;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.manifest.Manifests;
import org.taulab.kernel.install.KernelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taulab reproduce [--quick] [--only NAME] [--out DIR]}: executes the notebooks headlessly through this
 * checkout's {@code taulab} kernel (installed into DIR/kernel, never into the user's Jupyter folder), writes
 * the executed notebooks, their HTML and {@code index.html} to DIR, and prints "claims reproduced: N of M"
 * with one line per claim. A full run (no --quick) also writes each notebook that ran without errors back
 * into notebooks/, so it is committed with its outputs. Exit code 1 when a cell failed (named on stderr).
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, description = "Runs the reproduction notebooks headlessly and writes an HTML report with every table, "
        + "figure and claim.")
final class ReproduceCommand implements Callable<Integer> {
    static final String HELPER = "run_notebooks.py";

    @Option(names = "--quick", description = "fewer samples, grid points and task subsets (the same code paths); TAULAB_QUICK=1 for the kernel")
    boolean quick;

    @Option(names = "--only", paramLabel = "NAME", description = "one notebook: its name (01-cart), file name or number prefix (01)")
    String only;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/report", description = "report folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "per cell (default 1200 quick, 7200 full)")
    Integer timeout;

    @Option(names = "--notebooks", paramLabel = "DIR", description = "notebook folder (default: notebooks/ of the TauLab checkout)")
    Path notebooks;

    @Option(names = "--no-write-back", description = "in a full run, leave notebooks/ unchanged")
    boolean noWriteBack;

    @Option(names = "--python", paramLabel = "PYTHON", description = "Python with nbclient and nbconvert (default /usr/bin/python3)")
    String python;

    @Override
    public Integer call() throws Exception {
        Path home = Manifests.home();
        Path dir = (notebooks != null ? notebooks : home.resolve("notebooks")).toAbsolutePath().normalize();
        List<Path> selected = select(dir, only);
        Path report = out.toAbsolutePath().normalize();
        Files.createDirectories(report);
        Path prefix = report.resolve("kernel");
        Path kernels = KernelSpec.kernelsDir(prefix);
        KernelSpec.install(kernels, KernelCommand.javaBinary(), KernelCommand.classpath());
        Path helper = report.resolve(".taulab").resolve(HELPER);
        Files.createDirectories(helper.getParent());
        try (InputStream in = ReproduceCommand.class.getResourceAsStream(HELPER)) {
            if (in == null) {
                throw new IllegalStateException("resource " + HELPER + " missing from the class path");
            }
            Files.copy(in, helper, StandardCopyOption.REPLACE_EXISTING);
        }
        Path summaryFile = report.resolve("summary.json");
        Files.deleteIfExists(summaryFile);

        List<String> command = new ArrayList<>(List.of(pythonBinary(), helper.toString(), "--out", report.toString(),
                "--timeout", String.valueOf(timeout != null ? timeout : quick ? 1200 : 7200), "--kernel-dir", kernels.toString()));
        if (quick) {
            command.add("--quick");
        }
        if (!quick && !noWriteBack) {
            command.add("--write-back");
        }
        selected.forEach(p -> command.add(p.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        env.put("TAULAB_HOME", home.toAbsolutePath().toString());
        if (quick) {
            env.put(Tau.QUICK_ENV, "1");
        } else {
            env.remove(Tau.QUICK_ENV);
        }
        int rc;
        try {
            Process p = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            rc = p.waitFor();
        } catch (IOException e) {
            throw new TauLabException("cannot start " + command.get(0) + " (Debian packages python3-nbclient, jupyter-nbconvert): " + e.getMessage());
        }
        if (!Files.isRegularFile(summaryFile)) {
            throw new TauLabException("the notebook runner stopped (exit code " + rc + ") before writing " + summaryFile);
        }
        ReproductionSummary summary = ReproductionSummary.read(summaryFile);
        ReportPage.write(report, summary);
        print(summary);
        System.out.println("report: " + report.resolve("index.html"));
        for (ReproductionSummary.NotebookRun n : summary.notebooks()) {
            for (ReproductionSummary.CellFailure e : n.errors()) {
                System.err.println("taulab: " + n.name() + ".ipynb " + ReportPage.where(e) + ": " + e.ename() + ": " + e.evalue());
            }
        }
        return summary.failed() || rc != 0 ? TauLabCli.DATA_ERROR : 0;
    }

    static void print(ReproductionSummary summary) {
        System.out.println(summary.headline());
        for (ReproductionSummary.ClaimResult c : summary.claims()) {
            System.out.println("  " + c.symbol() + " " + c.id() + ": " + c.claim() + (c.evidence() == null || c.evidence().isEmpty() ? ""
                    : " — " + c.evidence()) + (c.counted() ? "" : " (not counted)"));
        }
    }

    /** The notebooks to run, in name order; {@code only} picks one by name, file name or number prefix. */
    static List<Path> select(Path dir, String only) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new TauLabException("no notebook folder " + dir);
        }
        List<Path> all;
        try (Stream<Path> files = Files.list(dir)) {
            all = files.filter(f -> f.getFileName().toString().endsWith(".ipynb") && !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        if (all.isEmpty()) {
            throw new TauLabException("no notebooks in " + dir);
        }
        if (only == null) {
            return all;
        }
        String want = only.endsWith(".ipynb") ? only.substring(0, only.length() - ".ipynb".length()) : only;
        List<Path> match = all.stream().filter(p -> {
            String stem = p.getFileName().toString().replaceFirst("\\.ipynb$", "");
            return stem.equals(want) || stem.startsWith(want + "-");
        }).toList();
        if (match.size() != 1) {
            throw new TauLabCli.UsageException("--only " + only + " matches " + match.size() + " notebooks (notebooks: "
                    + String.join(", ", all.stream().map(p -> p.getFileName().toString()).toList()) + ")");
        }
        return match;
    }

    private String pythonBinary() {
        if (python != null) {
            return python;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
