package org.taulab.dsl.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SafetensorsFile;
import org.taulab.dsl.io.TensorInfo;

/**
 * An exported image split: a safetensors file with U8 {@code images [N, C, H, W]}, I64 {@code labels [N]}
 * and the class names in the metadata key {@code classes}, one per line (the CLIP setting's format).
 */
public final class SafetensorsImages {
    private SafetensorsImages() {
    }

    public static ImageSet read(Path file) {
        SafetensorsFile f = SafetensorsFile.open(file);
        TensorInfo images = f.info("images");
        TensorInfo labels = f.info("labels");
        if (images.dtype() != DType.U8 || images.shape().length != 4) {
            throw new TauLabException(file + ": 'images' must be U8 [N, C, H, W], found " + images.dtype() + " " + images.shapeString());
        }
        if (labels.dtype() != DType.I64 || labels.shape().length != 1 || labels.shape()[0] != images.shape()[0]) {
            throw new TauLabException(file + ": 'labels' must be I64 [N] with N = " + images.shape()[0] + ", found "
                    + labels.dtype() + " " + labels.shapeString());
        }
        int n = (int) images.shape()[0];
        float[] px = f.withBytes("images", b -> {
            float[] out = new float[b.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (b.get(b.position() + i) & 0xff) / 255f;
            }
            return out;
        });
        int[] lb = f.withBytes("labels", b -> {
            ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = (int) le.getLong(le.position() + 8 * i);
            }
            return out;
        });
        return new ImageSet(px, lb, n, (int) images.shape()[1], (int) images.shape()[2], (int) images.shape()[3]);
    }

    /** Class names from the metadata, or "0", "1", … when absent. */
    public static List<String> classes(Path file, int count) {
        String names = SafetensorsFile.open(file).metadata().get("classes");
        if (names == null) {
            String[] generic = new String[count];
            Arrays.setAll(generic, Integer::toString);
            return List.of(generic);
        }
        return names.lines().toList();
    }
}
