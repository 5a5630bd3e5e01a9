package org.taulab.kernel.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** XChart charts as PNG (rendered headless), at least {@link #MIN_WIDTH} pixels wide. */
public final class ChartRenderer {
    static final int MIN_WIDTH = 480;

    private ChartRenderer() {
    }

    /** The chart as base64 PNG, as Jupyter's image/png wants it. */
    public static String png(Chart<?, ?> chart) {
        if (chart.getWidth() < MIN_WIDTH) {
            double scale = (double) MIN_WIDTH / chart.getWidth();
            return base64(BitmapEncoder.getBufferedImage(chart), scale);
        }
        return base64(BitmapEncoder.getBufferedImage(chart), 1);
    }

    static String base64(BufferedImage image, double scale) {
        BufferedImage out = image;
        if (scale != 1) {
            out = new BufferedImage((int) (image.getWidth() * scale), (int) (image.getHeight() * scale), BufferedImage.TYPE_INT_ARGB);
            java.awt.Graphics2D g = out.createGraphics();
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
            g.dispose();
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            ImageIO.write(out, "png", bytes);
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
