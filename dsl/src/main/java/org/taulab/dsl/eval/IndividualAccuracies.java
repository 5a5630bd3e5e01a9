package org.taulab.dsl.eval;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.io.HashCache;
import org.taulab.dsl.io.TsvCache;
import org.taulab.dsl.model.ClipVit;

/**
 * The individual row remembered across runs. Each fine-tuned model's accuracy on its own task is the same every
 * time for the same model file, head file, images and code, and the normalized column of every evaluation needs
 * it: computing it again would double the time of {@code taulab eval}. The key holds the sha256 of the model and
 * head files, a digest of the images (pixels, labels, shape) and the sha256 of the jar the forward pass runs from,
 * so a rebuilt zoo, other data or another TauLab build all miss. Run from a class folder (a development build),
 * nothing is cached.
 */
final class IndividualAccuracies {
    private static final TsvCache CACHE = new TsvCache("individual-accuracy.tsv", 5000);

    private IndividualAccuracies() {
    }

    /** The sha256 of the jar that holds the forward pass, or null when it runs from a class folder. */
    static String code() {
        try {
            Path location = Path.of(ClipVit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? HashCache.sha256(location) : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String key(Path model, Path head, ImageSet images, String code) {
        return "individual " + HashCache.sha256(model) + " " + HashCache.sha256(head) + " " + digest(images) + " " + code;
    }

    /** The accuracy stored under {@code key}, or null. */
    static Double get(String key) {
        String v = CACHE.get(key);
        try {
            return v == null ? null : Double.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static void put(String key, double accuracy) {
        CACHE.put(key, Double.toString(accuracy));
    }

    /** sha256 of the images' shape, labels and pixels (as little-endian floats). */
    static String digest(ImageSet images) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(images.count()).putInt(images.channels()).putInt(images.height()).putInt(images.width());
            for (int label : images.labels()) {
                flushIfFull(md, b, 4).putInt(label);
            }
            float[] pixels = images.pixels();
            for (int i = 0; i < images.count() * images.pixelsPerImage(); i++) {
                flushIfFull(md, b, 4).putFloat(pixels[i]);
            }
            md.update(b.flip());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteBuffer flushIfFull(MessageDigest md, ByteBuffer b, int need) {
        if (b.remaining() < need) {
            md.update(b.flip());
            b.clear();
        }
        return b;
    }
}
