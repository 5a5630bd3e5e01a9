package org.taulab.dsl.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.taulab.dsl.TauLabException;

/**
 * Printed characters rendered from font files into 28 × 28 grayscale images (white on black, like MNIST),
 * each with a small random affine jitter from a fixed seed: the notMNIST recipe, made deterministic.
 */
public final class GlyphRenderer {
    public static final int SIZE = 28;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private GlyphRenderer() {
    }

    /** One rendered sample: which font, which character. */
    public record Sample(int font, char character) {
    }

    public static Font loadFont(Path file) {
        try {
            return Font.createFont(Font.TRUETYPE_FONT, file.toFile());
        } catch (FontFormatException | IOException e) {
            throw new TauLabException(file + ": cannot load font (" + e.getMessage() + ")");
        }
    }

    /**
     * Renders {@code samples}, drawing each jitter from {@code new Random(seed + index)}: the same seed, fonts
     * and characters give the same images on every run.
     */
    public static float[] render(List<Font> fonts, List<Sample> samples, long seed) {
        float[] out = new float[samples.size() * SIZE * SIZE];
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            draw(img, fonts.get(s.font()), s.character(), new Random(seed * 7919 + i));
            byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int p = 0; p < SIZE * SIZE; p++) {
                out[i * SIZE * SIZE + p] = (data[p] & 0xff) / 255f;
            }
        }
        return out;
    }

    private static void draw(BufferedImage img, Font base, char c, Random rnd) {
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            Font font = base.deriveFont(Font.PLAIN, 19f);
            FontRenderContext frc = g.getFontRenderContext();
            GlyphVector gv = font.createGlyphVector(frc, String.valueOf(c));
            Rectangle2D box = gv.getVisualBounds();
            double fit = 18.0 / Math.max(1e-3, Math.max(box.getWidth(), box.getHeight()));
            double scale = Math.min(fit, 1.4) * (0.85 + 0.3 * rnd.nextDouble());
            double angle = Math.toRadians(-12 + 24 * rnd.nextDouble());
            double shear = -0.15 + 0.3 * rnd.nextDouble();
            double dx = -2 + 4 * rnd.nextDouble();
            double dy = -2 + 4 * rnd.nextDouble();
            AffineTransform t = new AffineTransform();
            t.translate(SIZE / 2.0 + dx, SIZE / 2.0 + dy);
            t.rotate(angle);
            t.shear(shear, 0);
            t.scale(scale, scale);
            t.translate(-box.getCenterX(), -box.getCenterY());
            g.setTransform(t);
            g.setColor(Color.WHITE);
            g.fill(gv.getOutline());
        } finally {
            g.dispose();
        }
    }
}
