package org.taulab.dsl.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.Sha256;

/**
 * A class per folder of pictures (every PNG below it, in path order): each letterboxed onto white and
 * box-filtered to size × size, as clip art is usually shown. Symbolic links are not followed and a picture
 * whose bytes were already read (a copy filed under two categories) is kept once, in its first class; the
 * few pictures Java's PNG decoder rejects are left out (the same ones on every machine with the package).
 */
public final class ImageFolders {
    private ImageFolders() {
    }

    /** The pictures below {@code dir}, sorted by path so every machine reads them in the same order. */
    public static List<Path> pictures(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && p.getFileName().toString().toLowerCase().endsWith(".png"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new TauLabException(dir + ": cannot list pictures (" + e.getMessage() + ")");
        }
    }

    public static ImageSet read(List<Path> classDirs, int size) {
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < classDirs.size(); c++) {
            for (Path p : pictures(classDirs.get(c))) {
                if (!seen.add(Sha256.of(p))) {
                    continue;
                }
                BufferedImage img = Raster.readOrNull(p);
                if (img == null) {
                    continue;
                }
                images.add(Raster.square(img, size, Color.WHITE));
                labels.add(c);
            }
        }
        return pack(images, labels, 3, size);
    }

    static ImageSet pack(List<float[]> images, List<Integer> labels, int channels, int size) {
        int per = channels * size * size;
        float[] px = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, px, i * per, per);
        }
        return new ImageSet(px, labels.stream().mapToInt(Integer::intValue).toArray(), images.size(), channels, size, size);
    }
}
