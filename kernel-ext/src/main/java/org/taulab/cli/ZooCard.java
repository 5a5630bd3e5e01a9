package org.taulab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.analysis.RegimeCard;
import org.taulab.dsl.analysis.RegimeCardView;
import tech.tablesaw.api.Table;

/** Prints a regime card and writes its figures. */
final class ZooCard {
    private ZooCard() {
    }

    static void print(RegimeCard card, String format) {
        for (Table t : new Table[] {RegimeCardView.summary(card), RegimeCardView.perTask(card), RegimeCardView.cosines(card),
                                    RegimeCardView.checks(card)}) {
            System.out.println(format.equals("csv") ? "# " + t.name() + "\n" + t.write().toString("csv") : t.printAll());
            System.out.println();
        }
    }

    /** Writes the cosine heatmap and the linear paths as PNG into {@code dir}; returns the files' folder. */
    static Path figures(RegimeCard card, Path dir) {
        try {
            Files.createDirectories(dir);
            BitmapEncoder.saveBitmap(RegimeCardView.cosineHeatmap(card), dir.resolve("cosine-" + card.split()).toString(), BitmapEncoder.BitmapFormat.PNG);
            BitmapEncoder.saveBitmap(RegimeCardView.linearPaths(card), dir.resolve("linear-paths-" + card.split()).toString(), BitmapEncoder.BitmapFormat.PNG);
            return dir;
        } catch (IOException e) {
            throw new TauLabException(dir + ": cannot write the card's figures (" + e.getMessage() + ")");
        }
    }
}
