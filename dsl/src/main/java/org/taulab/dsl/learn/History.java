package org.taulab.dsl.learn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.taulab.dsl.TauLabException;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * The per-epoch record of a learned merge (the data of DV-BASI's Figure 2), with which epochs were kept, plus
 * the starting point's val accuracy so plots can begin at θ_0.
 */
public final class History {
    private final List<EpochRecord> epochs = new ArrayList<>();
    private final List<Boolean> kept = new ArrayList<>();
    private final List<String> tasks;
    private double initialAccuracy = Double.NaN;
    private double initialNormalized = Double.NaN;

    public History(List<String> tasks) {
        this.tasks = List.copyOf(tasks);
    }

    void start(double accuracy, double normalized) {
        initialAccuracy = accuracy;
        initialNormalized = normalized;
    }

    void add(EpochRecord record) {
        epochs.add(record);
        kept.add(false);
    }

    /** Marks the epoch at {@code index} as the one whose coefficients its iteration kept. */
    void markKept(int index) {
        kept.set(index, true);
    }

    public boolean kept(int index) {
        return kept.get(index);
    }

    public int size() {
        return epochs.size();
    }

    public List<EpochRecord> epochs() {
        return List.copyOf(epochs);
    }

    public double initialAccuracy() {
        return initialAccuracy;
    }

    public double initialNormalized() {
        return initialNormalized;
    }

    public List<String> tasks() {
        return tasks;
    }

    /** iteration, epoch, steps, loss, val_accuracy, val_normalized, val_<task>…, coef_norm, seconds, kept (accuracies in %). */
    public Table table(String title) {
        IntColumn iteration = IntColumn.create("iteration");
        IntColumn epoch = IntColumn.create("epoch");
        LongColumn steps = LongColumn.create("steps");
        DoubleColumn loss = DoubleColumn.create("loss");
        DoubleColumn acc = DoubleColumn.create("val_accuracy");
        DoubleColumn norm = DoubleColumn.create("val_normalized");
        List<DoubleColumn> perTask = new ArrayList<>();
        for (String t : tasks) {
            perTask.add(DoubleColumn.create("val_" + t));
        }
        DoubleColumn coef = DoubleColumn.create("coef_norm");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        BooleanColumn keptColumn = BooleanColumn.create("kept");
        for (int i = 0; i < epochs.size(); i++) {
            EpochRecord r = epochs.get(i);
            iteration.append(r.iteration());
            epoch.append(r.epoch());
            steps.append(r.steps());
            loss.append(r.loss());
            acc.append(100 * r.valAccuracy());
            norm.append(100 * r.valNormalized());
            for (int t = 0; t < tasks.size(); t++) {
                perTask.get(t).append(100 * r.val().getOrDefault(tasks.get(t), Double.NaN));
            }
            coef.append(r.coefficientNorm());
            seconds.append(r.seconds());
            keptColumn.append(kept.get(i));
        }
        Table table = Table.create(title).addColumns(iteration, epoch, steps, loss, acc, norm);
        perTask.forEach(table::addColumns);
        return table.addColumns(coef, seconds, keptColumn);
    }

    /** Writes the table as CSV, atomically (a temporary file renamed over the target). */
    public void writeCsv(Path path) {
        Table t = table("history");
        StringBuilder sb = new StringBuilder(String.join(",", t.columnNames())).append('\n');
        for (int r = 0; r < t.rowCount(); r++) {
            for (int c = 0; c < t.columnCount(); c++) {
                if (c > 0) {
                    sb.append(',');
                }
                Object v = t.column(c).get(r);
                sb.append(v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v));
            }
            sb.append('\n');
        }
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TauLabException("cannot write history " + path + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new TauLabException("cannot write history " + path + ": " + e.getCause().getMessage());
        }
    }
}
