package org.taulab.dsl.data;

import java.util.Arrays;

/** Grayscale images in [0, 1], row-major {@code count × height × width}, with integer labels. */
public record ImageSet(float[] pixels, int[] labels, int count, int height, int width) {
    public ImageSet {
        if (pixels.length != (long) count * height * width || labels.length != count) {
            throw new IllegalArgumentException("image set sizes disagree: " + pixels.length + " pixels, " + labels.length + " labels, "
                    + count + "×" + height + "×" + width);
        }
    }

    public int pixelsPerImage() {
        return height * width;
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
        return new ImageSet(px, lb, indices.length, height, width);
    }

    public ImageSet first(int n) {
        int k = Math.min(n, count);
        return new ImageSet(Arrays.copyOf(pixels, k * pixelsPerImage()), Arrays.copyOf(labels, k), k, height, width);
    }

    public ImageSet withLabels(int[] newLabels) {
        return new ImageSet(pixels, newLabels, count, height, width);
    }

    public ImageSet withPixels(float[] newPixels) {
        return new ImageSet(newPixels, labels, count, height, width);
    }

    public static ImageSet concat(ImageSet a, ImageSet b) {
        float[] px = Arrays.copyOf(a.pixels, a.pixels.length + b.pixels.length);
        System.arraycopy(b.pixels, 0, px, a.pixels.length, b.pixels.length);
        int[] lb = Arrays.copyOf(a.labels, a.count + b.count);
        System.arraycopy(b.labels, 0, lb, a.count, b.count);
        return new ImageSet(px, lb, a.count + b.count, a.height, a.width);
    }
}
