package org.taulab.dsl.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.taulab.dsl.TauLabException;

/** Reads the IDX format of (Fashion-)MNIST, gzip-compressed: unsigned bytes, big-endian header. */
public final class IdxReader {
    private IdxReader() {
    }

    /** Images scaled to [0, 1] and labels from a pair of IDX files. */
    public static ImageSet read(Path images, Path labels) {
        int[][] dims = new int[1][];
        byte[] px = readIdx(images, 0x0803, dims);
        int count = dims[0][0];
        int height = dims[0][1];
        int width = dims[0][2];
        int[][] labelDims = new int[1][];
        byte[] lb = readIdx(labels, 0x0801, labelDims);
        if (labelDims[0][0] != count) {
            throw new TauLabException(labels + ": " + labelDims[0][0] + " labels for " + count + " images in " + images);
        }
        float[] pixels = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            pixels[i] = (px[i] & 0xff) / 255f;
        }
        int[] lbl = new int[count];
        for (int i = 0; i < count; i++) {
            lbl[i] = lb[i] & 0xff;
        }
        return new ImageSet(pixels, lbl, count, height, width);
    }

    private static byte[] readIdx(Path file, int expectedMagic, int[][] dimsOut) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            int magic = in.readInt();
            if (magic != expectedMagic) {
                throw new TauLabException(file + ": not an IDX " + (expectedMagic == 0x0803 ? "image" : "label")
                        + " file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int rank = magic & 0xff;
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE || total < 0) {
                throw new TauLabException(file + ": IDX dimensions too large");
            }
            byte[] data = new byte[(int) total];
            in.readFully(data);
            dimsOut[0] = dims;
            return data;
        } catch (EOFException e) {
            throw new TauLabException(file + ": truncated IDX file");
        } catch (IOException e) {
            throw new TauLabException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
