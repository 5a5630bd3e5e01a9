package org.taulab.dsl.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/** The plain-Java streaming merge against element-wise arithmetic, on a tensor that spans several chunks. */
class LinearMergeFilesTest {
    private static final int N = 2 * LinearMergeFiles.CHUNK + 1234;
    private static final String BIG = "blocks.0.mlp.w";
    private static final String SMALL = "blocks.0.bias";

    @TempDir
    Path dir;

    private Weights file(String name, float[] big, float[] small) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        entries.put(BIG, TensorEntry.passThrough(BIG, DType.F32, new long[] {N}, () -> bytes(big)));
        entries.put(SMALL, TensorEntry.passThrough(SMALL, DType.F32, new long[] {small.length}, () -> bytes(small)));
        entries.put("empty", TensorEntry.passThrough("empty", DType.F32, new long[] {0, 4}, () -> ByteBuffer.allocate(0)));
        entries.put("step", TensorEntry.passThrough("step", DType.I64, new long[] {1},
                () -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 42)));
        Path p = dir.resolve(name);
        new Weights(entries, Map.of(), name).save(p);
        return Weights.load(p);
    }

    private static ByteBuffer bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b;
    }

    private static float[] floats(Weights merged, String name) {
        ByteBuffer raw = merged.entries().get(name).raw().get().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.remaining() / 4];
        raw.asFloatBuffer().get(out);
        return out;
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void taskArithmeticAndAverageAgreeWithElementWiseArithmeticAcrossChunks() {
        Random r = new Random(5);
        float[][] big = new float[4][];
        float[][] small = new float[4][];
        List<Weights> fts = new ArrayList<>();
        for (int m = 0; m < 4; m++) {
            big[m] = random(r, N);
            small[m] = random(r, 3);
        }
        Weights base = file("pre.safetensors", big[0], small[0]);
        for (int m = 1; m < 4; m++) {
            fts.add(file("ft" + m + ".safetensors", big[m], small[m]));
        }
        Weights ta = LinearMergeFiles.merge(new MergeInputs(base, fts), 0.3, Map.of());
        Weights avg = LinearMergeFiles.merge(new MergeInputs(null, fts), null, Map.of());
        float[] taBig = floats(ta, BIG);
        float[] avgBig = floats(avg, BIG);
        for (int i = 0; i < N; i++) {
            double delta = 0;
            double mean = 0;
            float sum = 0;
            float total = 0;
            for (int m = 1; m < 4; m++) {
                delta += (double) big[m][i] - big[0][i];
                mean += big[m][i] / 3.0;
                sum += big[m][i] - big[0][i];
                total += big[m][i];
            }
            // bit for bit the peers' float32 order; and close to the exact value
            assertEquals(big[0][i] + 0.3f * sum, taBig[i], 0f, "TA element " + i);
            assertEquals(total * (1f / 3), avgBig[i], 0f, "average element " + i);
            assertEquals(big[0][i] + 0.3 * delta, taBig[i], 1e-5, "TA element " + i);
            assertEquals(mean, avgBig[i], 1e-5, "average element " + i);
        }
        assertArrayEquals(new float[] {small[0][2] + 0.3f * (small[1][2] - small[0][2] + (small[2][2] - small[0][2]) + (small[3][2] - small[0][2]))},
                new float[] {floats(ta, SMALL)[2]}, 1e-6f);
        assertEquals(0, floats(ta, "empty").length);
        assertEquals(0, floats(avg, "empty").length);
        assertEquals(42, ta.entries().get("step").raw().get().order(ByteOrder.LITTLE_ENDIAN).getLong(0));
    }

    @Test
    void aNaNInALaterChunkIsTracedToItsFile() {
        Random r = new Random(6);
        float[] poisoned = random(r, N);
        poisoned[LinearMergeFiles.CHUNK + 5] = Float.NaN;
        Weights base = file("pre.safetensors", random(r, N), random(r, 2));
        List<Weights> fts = List.of(file("ft1.safetensors", random(r, N), random(r, 2)), file("ft2.safetensors", poisoned, random(r, 2)));
        Weights ta = LinearMergeFiles.merge(new MergeInputs(base, fts), 0.3, Map.of());
        TauLabException e = assertThrows(TauLabException.class, () -> ta.entries().get(BIG).raw().get());
        assertTrue(e.getMessage().contains("'" + BIG + "'") && e.getMessage().contains("ft2.safetensors") && e.getMessage().contains("NaN"),
                e.getMessage());
    }

    @Test
    void anOverflowIsNamedAsSuch() {
        float[] huge = new float[N];
        java.util.Arrays.fill(huge, 3e38f);
        Weights base = file("pre.safetensors", new float[N], new float[1]);
        List<Weights> fts = List.of(file("ft1.safetensors", huge, new float[1]), file("ft2.safetensors", huge, new float[1]));
        Weights ta = LinearMergeFiles.merge(new MergeInputs(base, fts), 1.0, Map.of());
        TauLabException e = assertThrows(TauLabException.class, () -> ta.entries().get(BIG).raw().get());
        assertTrue(e.getMessage().contains("overflows float32"), e.getMessage());
    }
}
