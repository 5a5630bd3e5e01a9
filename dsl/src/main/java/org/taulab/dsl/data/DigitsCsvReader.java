package org.taulab.dsl.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.taulab.dsl.TauLabException;

/**
 * Reads scikit-learn's handwritten digits ({@code digits.csv.gz}: 64 pixel values 0–16 then the label
 * per row) and enlarges each 8 × 8 image to 28 × 28 the way MNIST is framed: bilinear to 20 × 20, centered
 * with a 4-pixel margin.
 */
public final class DigitsCsvReader {
    private DigitsCsvReader() {
    }

    public static ImageSet read(Path csvGz) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(csvGz)), StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(",");
                if (parts.length != 65) {
                    throw new TauLabException(csvGz + ": line " + lineNo + " has " + parts.length + " fields, expected 65");
                }
                float[] px = new float[64];
                for (int i = 0; i < 64; i++) {
                    px[i] = Float.parseFloat(parts[i]) / 16f;
                }
                rows.add(px);
                labels.add((int) Float.parseFloat(parts[64]));
            }
        } catch (IOException | NumberFormatException e) {
            throw new TauLabException(csvGz + ": cannot read digits (" + e.getMessage() + ")");
        }
        int n = rows.size();
        float[] pixels = new float[n * 28 * 28];
        int[] lb = new int[n];
        for (int i = 0; i < n; i++) {
            float[] big = ImageOps.resizeBilinear(rows.get(i), 8, 8, 20, 20);
            float[] framed = ImageOps.pad(big, 20, 20, 4, 28, 28);
            System.arraycopy(framed, 0, pixels, i * 784, 784);
            lb[i] = labels.get(i);
        }
        return new ImageSet(pixels, lb, n, 28, 28);
    }
}
