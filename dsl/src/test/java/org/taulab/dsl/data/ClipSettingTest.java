package org.taulab.dsl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.manifest.Manifests;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;
import org.taulab.dsl.zoo.ZooVerifier;

/** The papers' CLIP setting: described by manifests, missing files listed, exported splits readable. */
class ClipSettingTest {
    @TempDir
    Path dir;

    @Test
    void missingCheckpointsAreAllListed() {
        Zoo clip = Zoo.open("clip-vit-b32");
        assertEquals(8, clip.tasks().size());
        List<String> missing = ZooVerifier.missing(clip);
        assertEquals(17, missing.size(), "no exported checkpoints in the repository");
        assertTrue(missing.contains("finetuned/SUN397.safetensors") && missing.contains("heads/DTD.safetensors"));
        TauLabException e = assertThrows(TauLabException.class, () -> ZooVerifier.verify(clip));
        assertTrue(e.getMessage().contains("17 of 17 files missing") && e.getMessage().contains("pretrained.safetensors"), e.getMessage());
        assertEquals(8, Manifests.benchmark("clip-vit-b32").tasks().size());
    }

    @Test
    void missingDataSaysWhereToExportIt() {
        System.setProperty("taulab.data", dir.toString());
        TauLabException e = assertThrows(TauLabException.class, () -> BenchmarkData.task(
                Manifests.benchmark("clip-vit-b32"), Manifests.benchmark("clip-vit-b32").tasks().get(3)));
        assertTrue(e.getMessage().contains(dir.resolve("clip/eurosat/train.safetensors").toString())
                && e.getMessage().contains("data-manifests/README.md"), e.getMessage());
    }

    @Test
    void exportedRgbSplitReadsBack() {
        byte[] px = new byte[2 * 3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 10);
        }
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        entries.put("images", TensorEntry.passThrough("images", DType.U8, new long[] {2, 3, 2, 2}, () -> ByteBuffer.wrap(px)));
        ByteBuffer lb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 4).putLong(8, 1);
        entries.put("labels", TensorEntry.passThrough("labels", DType.I64, new long[] {2}, lb::duplicate));
        Path file = dir.resolve("train.safetensors");
        new Weights(entries, Map.of("classes", "a\nb\nc\nd\ne"), "x").save(file);
        ImageSet s = SafetensorsImages.read(file);
        assertEquals(3, s.channels());
        assertArrayEquals(new int[] {4, 1}, s.labels());
        assertEquals(230 / 255f, s.pixels()[23], 1e-6f);
        assertEquals(List.of("a", "b", "c", "d", "e"), SafetensorsImages.classes(file, 5));
    }
}
