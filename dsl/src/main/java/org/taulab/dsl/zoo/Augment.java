package org.taulab.dsl.zoo;

import java.util.Random;
import org.taulab.dsl.data.ImageSet;

/**
 * Seeded label-free image augmentations for the contrastive pretext and for fine-tuning: a random resized
 * crop (bilinear, edge-clamped, no flips or rotations so orientation-defined tasks keep their meaning) and a
 * random contrast/brightness change. Pixels stay in [0, 1].
 */
final class Augment {
    private Augment() {
    }

    /** One augmented view of every image of {@code set} (labels kept). */
    static ImageSet views(ImageSet set, Random rnd, double minScale, double maxShift, double contrast) {
        return views(set, rnd, minScale, maxShift, contrast, 0);
    }

    /**
     * As {@link #views(ImageSet, Random, double, double, double)}, and with probability {@code colour} a colour
     * distortion of a 3-channel view (half of them turned gray, the others with their channels permuted and each
     * scaled by 0.7–1.3), so a contrastive pretext cannot match views by their colours alone.
     */
    static ImageSet views(ImageSet set, Random rnd, double minScale, double maxShift, double contrast, double colour) {
        int n = set.count();
        int p = set.pixelsPerImage();
        float[] out = new float[set.pixels().length];
        float[] one = new float[p];
        for (int i = 0; i < n; i++) {
            System.arraycopy(set.pixels(), i * p, one, 0, p);
            float[] v = view(one, set.channels(), set.height(), set.width(), rnd, minScale, maxShift, contrast);
            if (set.channels() == 3 && colour > 0 && rnd.nextDouble() < colour) {
                distortColour(v, set.height() * set.width(), rnd);
            }
            System.arraycopy(v, 0, out, i * p, p);
        }
        return set.withPixels(out);
    }

    static void distortColour(float[] img, int plane, Random rnd) {
        if (rnd.nextBoolean()) {
            for (int k = 0; k < plane; k++) {
                float g = 0.299f * img[k] + 0.587f * img[plane + k] + 0.114f * img[2 * plane + k];
                img[k] = g;
                img[plane + k] = g;
                img[2 * plane + k] = g;
            }
            return;
        }
        int[] perm = {0, 1, 2};
        for (int i = 2; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] copy = img.clone();
        for (int c = 0; c < 3; c++) {
            float gain = (float) (0.7 + 0.6 * rnd.nextDouble());
            for (int k = 0; k < plane; k++) {
                img[c * plane + k] = Math.min(1f, copy[perm[c] * plane + k] * gain);
            }
        }
    }

    static float[] view(float[] img, int channels, int h, int w, Random rnd, double minScale, double maxShift, double contrast) {
        double scale = minScale + (1 - minScale) * rnd.nextDouble();
        double aspect = Math.exp((rnd.nextDouble() - 0.5) * 0.3);
        double sh = scale * Math.sqrt(aspect);
        double sw = scale / Math.sqrt(aspect);
        // Crop window (in source pixels) of size sh*h × sw*w, centred near the middle, shifted by up to maxShift.
        double ch = sh * h;
        double cw = sw * w;
        double y0 = (h - ch) / 2 + (rnd.nextDouble() * 2 - 1) * maxShift;
        double x0 = (w - cw) / 2 + (rnd.nextDouble() * 2 - 1) * maxShift;
        double c = 1 + (rnd.nextDouble() * 2 - 1) * contrast;
        double b = (rnd.nextDouble() * 2 - 1) * contrast * 0.5;
        float[] out = new float[img.length];
        int plane = h * w;
        for (int k = 0; k < channels; k++) {
            for (int y = 0; y < h; y++) {
                double sy = y0 + (y + 0.5) * ch / h - 0.5;
                for (int x = 0; x < w; x++) {
                    double sx = x0 + (x + 0.5) * cw / w - 0.5;
                    double v = sample(img, k * plane, h, w, sy, sx);
                    v = (v - 0.5) * c + 0.5 + b;
                    out[k * plane + y * w + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return out;
    }

    private static double sample(float[] img, int off, int h, int w, double y, double x) {
        int y1 = (int) Math.floor(y);
        int x1 = (int) Math.floor(x);
        double fy = y - y1;
        double fx = x - x1;
        return (1 - fy) * ((1 - fx) * at(img, off, h, w, y1, x1) + fx * at(img, off, h, w, y1, x1 + 1))
                + fy * ((1 - fx) * at(img, off, h, w, y1 + 1, x1) + fx * at(img, off, h, w, y1 + 1, x1 + 1));
    }

    private static float at(float[] img, int off, int h, int w, int y, int x) {
        y = Math.min(h - 1, Math.max(0, y));
        x = Math.min(w - 1, Math.max(0, x));
        return img[off + y * w + x];
    }
}
