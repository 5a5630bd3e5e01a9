package org.taulab.dsl.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.taulab.dsl.TauLabException;

/**
 * Printed symbols in colour: each sample is one character of one font, in a random ink on a random
 * background of clearly different brightness, with a seeded affine jitter; optionally flanked by two other
 * characters of its flank set cut off by the frame (house-number style). Deterministic for a seed.
 */
public final class ColourGlyphs {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ColourGlyphs() {
    }

    /** The characters one class draws from: pairs of a font and the code points it can show. */
    public record GlyphClass(String name, List<Font> fonts, List<int[]> codePoints, List<int[]> flank) {
        int pairs() {
            return codePoints.stream().mapToInt(a -> a.length).sum();
        }
    }

    /** Code points of "U+0391-U+03A9,U+03B1-U+03C9,0123" that {@code font} can display. */
    public static int[] codePoints(String spec, Font font) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.startsWith("U+")) {
                String[] ends = p.split("-");
                int a = Integer.parseInt(ends[0].substring(2), 16);
                int b = ends.length > 1 ? Integer.parseInt(ends[1].strip().substring(2), 16) : a;
                for (int cp = a; cp <= b; cp++) {
                    if (Character.isDefined(cp) && !Character.isWhitespace(cp) && font.canDisplay(cp)) {
                        out.add(cp);
                    }
                }
            } else {
                p.codePoints().filter(font::canDisplay).forEach(out::add);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code k} of {@code cps} at evenly spaced positions (all of them when {@code k} is null or not smaller). */
    public static int[] evenlySpaced(int[] cps, Integer k) {
        if (k == null || k >= cps.length) {
            return cps;
        }
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = cps[(int) ((long) i * cps.length / k)];
        }
        return out;
    }

    public static ImageSet render(List<GlyphClass> classes, int perClass, boolean flanked, int size, long seed) {
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int c = 0; c < classes.size(); c++) {
            GlyphClass k = classes.get(c);
            if (k.pairs() == 0) {
                throw new TauLabException("glyph class " + k.name() + ": none of its fonts can display any of its characters");
            }
            Random rnd = new Random(seed * 1_000_003L + c);
            for (int i = 0; i < perClass; i++) {
                int f;
                do {
                    f = rnd.nextInt(k.fonts().size());
                } while (k.codePoints().get(f).length == 0);
                int[] cps = k.codePoints().get(f);
                int cp = cps[rnd.nextInt(cps.length)];
                int[] side = k.flank().get(f);
                int left = flanked ? side[rnd.nextInt(side.length)] : -1;
                int right = flanked ? side[rnd.nextInt(side.length)] : -1;
                draw(img, k.fonts().get(f), cp, left, right, rnd);
                images.add(planes(img, size));
                labels.add(c);
            }
        }
        return ImageFolders.pack(images, labels, 3, size);
    }

    private static float[] planes(BufferedImage img, int size) {
        float[] out = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = img.getRGB(x, y);
                out[y * size + x] = ((rgb >> 16) & 0xff) / 255f;
                out[size * size + y * size + x] = ((rgb >> 8) & 0xff) / 255f;
                out[2 * size * size + y * size + x] = (rgb & 0xff) / 255f;
            }
        }
        return out;
    }

    private static Color[] colours(Random rnd) {
        while (true) {
            Color bg = new Color(rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat());
            Color ink = new Color(rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat());
            if (Math.abs(luma(bg) - luma(ink)) > 0.35) {
                return new Color[] {bg, ink};
            }
        }
    }

    private static double luma(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }

    private static void draw(BufferedImage img, Font base, int cp, int left, int right, Random rnd) {
        int size = img.getWidth();
        Graphics2D g = img.createGraphics();
        try {
            Color[] col = colours(rnd);
            g.setColor(col[0]);
            g.fillRect(0, 0, size, size);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            Font font = base.deriveFont(Font.PLAIN, size * 0.7f);
            GlyphVector gv = font.createGlyphVector(g.getFontRenderContext(), new String(Character.toChars(cp)));
            Rectangle2D box = gv.getVisualBounds();
            double fit = size * 0.62 / Math.max(1e-3, Math.max(box.getWidth(), box.getHeight()));
            double scale = Math.min(fit, 3.0) * (0.8 + 0.35 * rnd.nextDouble());
            AffineTransform t = new AffineTransform();
            t.translate(size / 2.0 + (rnd.nextDouble() * 2 - 1) * size * 0.08, size / 2.0 + (rnd.nextDouble() * 2 - 1) * size * 0.08);
            t.rotate(Math.toRadians(-10 + 20 * rnd.nextDouble()));
            t.shear(-0.15 + 0.3 * rnd.nextDouble(), 0);
            t.scale(scale, scale);
            AffineTransform centre = new AffineTransform(t);
            centre.translate(-box.getCenterX(), -box.getCenterY());
            g.setColor(col[1]);
            g.fill(centre.createTransformedShape(gv.getOutline()));
            double gap = box.getWidth() * 0.55 + 0.1 * font.getSize2D();
            for (int side = -1; side <= 1; side += 2) {
                int other = side < 0 ? left : right;
                if (other < 0) {
                    continue;
                }
                GlyphVector ov = font.createGlyphVector(g.getFontRenderContext(), new String(Character.toChars(other)));
                Rectangle2D ob = ov.getVisualBounds();
                AffineTransform at = new AffineTransform(t);
                at.translate(side * (gap + ob.getWidth() * 0.55) - ob.getCenterX(), -ob.getCenterY());
                g.fill(at.createTransformedShape(ov.getOutline()));
            }
        } finally {
            g.dispose();
        }
    }
}
