package org.taulab.dsl.data;

/** Deterministic per-image operations on row-major grayscale images. */
public final class ImageOps {
    private ImageOps() {
    }

    /** Bilinear resize with pixel centers aligned (half-pixel convention). */
    public static float[] resizeBilinear(float[] src, int h, int w, int nh, int nw) {
        float[] out = new float[nh * nw];
        for (int y = 0; y < nh; y++) {
            double sy = Math.min(Math.max((y + 0.5) * h / nh - 0.5, 0), h - 1);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < nw; x++) {
                double sx = Math.min(Math.max((x + 0.5) * w / nw - 0.5, 0), w - 1);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                double top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
                double bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
                out[y * nw + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** Places an h × w image at offset (margin, margin) of a zero nh × nw canvas. */
    public static float[] pad(float[] src, int h, int w, int margin, int nh, int nw) {
        float[] out = new float[nh * nw];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, y * w, out, (y + margin) * nw + margin, w);
        }
        return out;
    }

    /** Rotates every image of the set by {@code quarterTurns} × 90° counter-clockwise (square images). */
    public static ImageSet rotate(ImageSet set, int quarterTurns) {
        int n = set.height();
        float[] out = new float[set.pixels().length];
        int turns = ((quarterTurns % 4) + 4) % 4;
        for (int i = 0; i < set.count(); i++) {
            int base = i * n * n;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int sy = y;
                    int sx = x;
                    for (int t = 0; t < turns; t++) {
                        int tmp = sy;
                        sy = sx;
                        sx = n - 1 - tmp;
                    }
                    out[base + y * n + x] = set.pixels()[base + sy * n + sx];
                }
            }
        }
        return set.withPixels(out);
    }

    /** Colour images turned gray: luma (0.299 R + 0.587 G + 0.114 B, on the 8-bit grid) in every channel. */
    public static ImageSet gray(ImageSet set) {
        if (set.channels() != 3) {
            return set;
        }
        int plane = set.height() * set.width();
        float[] px = set.pixels();
        float[] out = new float[px.length];
        for (int i = 0; i < set.count(); i++) {
            int b = i * 3 * plane;
            for (int k = 0; k < plane; k++) {
                float g = Raster.quantize(0.299 * px[b + k] + 0.587 * px[b + plane + k] + 0.114 * px[b + 2 * plane + k]);
                out[b + k] = g;
                out[b + plane + k] = g;
                out[b + 2 * plane + k] = g;
            }
        }
        return set.withPixels(out);
    }

    public static ImageSet invert(ImageSet set) {
        float[] out = new float[set.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 1f - set.pixels()[i];
        }
        return set.withPixels(out);
    }
}
