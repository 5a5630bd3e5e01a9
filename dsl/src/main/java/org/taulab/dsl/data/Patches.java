package org.taulab.dsl.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Square crops of large pictures, the class being the picture they come from (a texture / scene task). Each
 * split crops its own vertical strip of every picture (train the left part, then val, then test at the right),
 * so no val or test pixel was ever seen in training.
 */
public final class Patches {
    private Patches() {
    }

    /**
     * Crops of the strip between {@code fromFraction} and {@code toFraction} of each picture's width: side between
     * minSide and maxSide of the picture's height, never past the strip.
     */
    public static ImageSet crops(List<BufferedImage> pictures, double fromFraction, double toFraction, int perClass,
                                 double minSide, double maxSide, int size, long seed) {
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < pictures.size(); c++) {
            BufferedImage img = pictures.get(c);
            Random rnd = new Random(seed * 31 + c * 7919L + Math.round(fromFraction * 1000));
            int w = img.getWidth();
            int h = img.getHeight();
            double from = Math.floor(w * fromFraction);
            double to = Math.floor(w * toFraction);
            for (int i = 0; i < perClass; i++) {
                double side = Math.min(to - from, h) * 0.999;
                side = Math.min(side, h * (minSide + (maxSide - minSide) * rnd.nextDouble()));
                double x = from + rnd.nextDouble() * (to - from - side);
                double y = rnd.nextDouble() * (h - side);
                images.add(Raster.crop(img, x, y, side, size, Color.BLACK));
                labels.add(c);
            }
        }
        return ImageFolders.pack(images, labels, 3, size);
    }
}
