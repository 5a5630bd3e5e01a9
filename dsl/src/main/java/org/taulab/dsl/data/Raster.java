package org.taulab.dsl.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.taulab.dsl.TauLabException;

/**
 * Decoded pictures turned into benchmark images: RGB planes of size × size with values on the 8-bit grid
 * (k / 255), so an image reads the same whether it was just rendered or stored as bytes.
 */
public final class Raster {
    private Raster() {
    }

    public static BufferedImage read(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new TauLabException(file + ": not an image Java can decode");
            }
            return img;
        } catch (IOException e) {
            throw new TauLabException(file + ": cannot read image (" + e.getMessage() + ")");
        }
    }

    /** The picture, or null when Java's decoders reject it. */
    public static BufferedImage readOrNull(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static float quantize(double v) {
        return Math.round(Math.min(1, Math.max(0, v)) * 255) / 255f;
    }

    /**
     * The picture letterboxed into a square on {@code background} (transparent pixels composited onto it),
     * then box-filtered down to size × size: three planes, row-major.
     */
    public static float[] square(BufferedImage img, int size, Color background) {
        int w = img.getWidth();
        int h = img.getHeight();
        int side = Math.max(w, h);
        return crop(img, (w - side) / 2.0, (h - side) / 2.0, side, size, background);
    }

    /**
     * The square window of {@code side} source pixels at (x0, y0), box-filtered to size × size; parts outside
     * the picture and transparent pixels show {@code background}.
     */
    public static float[] crop(BufferedImage img, double x0, double y0, double side, int size, Color background) {
        float[] out = new float[3 * size * size];
        int w = img.getWidth();
        int h = img.getHeight();
        double[] bg = {background.getRed() / 255.0, background.getGreen() / 255.0, background.getBlue() / 255.0};
        double cell = side / size;
        int taps = Math.max(1, Math.min(8, (int) Math.ceil(cell)));
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double[] acc = new double[3];
                for (int sy = 0; sy < taps; sy++) {
                    for (int sx = 0; sx < taps; sx++) {
                        int px = (int) Math.floor(x0 + (x + (sx + 0.5) / taps) * cell);
                        int py = (int) Math.floor(y0 + (y + (sy + 0.5) / taps) * cell);
                        if (px < 0 || py < 0 || px >= w || py >= h) {
                            for (int c = 0; c < 3; c++) {
                                acc[c] += bg[c];
                            }
                            continue;
                        }
                        int argb = img.getRGB(px, py);
                        double a = (argb >>> 24) / 255.0;
                        acc[0] += a * ((argb >> 16) & 0xff) / 255.0 + (1 - a) * bg[0];
                        acc[1] += a * ((argb >> 8) & 0xff) / 255.0 + (1 - a) * bg[1];
                        acc[2] += a * (argb & 0xff) / 255.0 + (1 - a) * bg[2];
                    }
                }
                for (int c = 0; c < 3; c++) {
                    out[c * size * size + y * size + x] = quantize(acc[c] / (taps * taps));
                }
            }
        }
        return out;
    }

    /** A set in the benchmark's format: grayscale replicated to {@code channels}, bilinear-resized to size × size. */
    public static ImageSet conform(ImageSet s, int channels, int size) {
        if (s.channels() == channels && s.height() == size && s.width() == size) {
            return s;
        }
        if (s.channels() != 1 && s.channels() != channels) {
            throw new TauLabException("cannot turn " + s.channels() + "-channel images into " + channels + "-channel ones");
        }
        int plane = s.height() * s.width();
        int outPlane = size * size;
        float[] px = new float[s.count() * channels * outPlane];
        float[] one = new float[plane];
        for (int i = 0; i < s.count(); i++) {
            for (int c = 0; c < channels; c++) {
                int src = s.channels() == 1 ? 0 : c;
                System.arraycopy(s.pixels(), (i * s.channels() + src) * plane, one, 0, plane);
                float[] r = ImageOps.resizeBilinear(one, s.height(), s.width(), size, size);
                for (int k = 0; k < outPlane; k++) {
                    px[(i * channels + c) * outPlane + k] = quantize(r[k]);
                }
            }
        }
        return new ImageSet(px, s.labels(), s.count(), channels, size, size);
    }
}
