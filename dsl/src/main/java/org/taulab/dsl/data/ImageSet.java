package org.taulab.dsl.data;

import java.util.Arrays;

/**
 * Images with values in [0, 1], row-major {@code count × channels × height × width}, with integer labels.
 * The embedded benchmark is grayscale (one channel); the CLIP setting has three.
 */
public record ImageSet(float[] pixels, int[] labels, int count, int channels, int height, int width) {
    public ImageSet {
        if (pixels.length != (long) count * channels * height * width || labels.length != count) {
            throw new IllegalArgumentException("image set sizes disagree: " + pixels.length + " pixels, " + labels.length + " labels, "
                    + count + "×" + channels + "×" + height + "×" + width);
        }
    }

    /** A grayscale set. */
    public ImageSet(float[] pixels, int[] labels, int count, int height, int width) {
        this(pixels, labels, count, 1, height, width);
    }

    public int pixelsPerImage() {
        return channels * height * width;
    }

    /** The images at {@code indices}, in that order. */
    public ImageSet select(int[] indices) {
        int p = pixelsPerImage();
        float[] px = new float[indices.length * p];
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * p, px, i * p, p);
            lb[i] = labels[indices[i]];
        }
        return new ImageSet(px, lb, indices.length, channels, height, width);
    }

    public ImageSet first(int n) {
        int k = Math.min(n, count);
        return new ImageSet(Arrays.copyOf(pixels, k * pixelsPerImage()), Arrays.copyOf(labels, k), k, channels, height, width);
    }

    public ImageSet withLabels(int[] newLabels) {
        return new ImageSet(pixels, newLabels, count, channels, height, width);
    }

    public ImageSet withPixels(float[] newPixels) {
        return new ImageSet(newPixels, labels, count, channels, height, width);
    }

    public static ImageSet concat(ImageSet a, ImageSet b) {
        float[] px = Arrays.copyOf(a.pixels, a.pixels.length + b.pixels.length);
        System.arraycopy(b.pixels, 0, px, a.pixels.length, b.pixels.length);
        int[] lb = Arrays.copyOf(a.labels, a.count + b.count);
        System.arraycopy(b.labels, 0, lb, a.count, b.count);
        return new ImageSet(px, lb, a.count + b.count, a.channels, a.height, a.width);
    }
}
