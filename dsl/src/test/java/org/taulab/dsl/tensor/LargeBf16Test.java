package org.taulab.dsl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SaveOptions;

/**
 * A tensor larger than the writer's bfloat16 chunk (and not a multiple of it) is written a part at a time and read
 * back into pooled storage: every value as round-to-nearest-even of its float32, checked one by one.
 */
class LargeBf16Test {
    @TempDir
    Path dir;

    @Test
    void aTensorWrittenInPartsReadsBackValueForValue() {
        int n = SafetensorsWriter.ENCODE_CHUNK * 2 + 12345;
        float[] v = new float[n];
        Random rnd = new Random(9);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
        }
        v[0] = Float.NaN;
        v[1] = Float.POSITIVE_INFINITY;
        v[2] = -0f;
        Map<String, TensorEntry> e = new LinkedHashMap<>();
        e.put("w", TensorEntry.floating("w", DType.F32, new long[] {n}, m -> m.create(v.clone(), new Shape(n))));
        Path p = dir.resolve("big.safetensors");
        new Weights(e, Map.of(), "big").save(p, SaveOptions.defaults().dtype(DType.BF16));
        Weights back = Weights.load(p);
        assertEquals(DType.BF16, back.dtype("w"));
        float[] got = back.get("w").toFloatArray();
        assertEquals(n, got.length);
        for (int i = 0; i < n; i++) {
            float expected = Float.intBitsToFloat((TensorCodec.bf16Bits(v[i]) & 0xffff) << 16);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got[i]), "value " + i + " (" + v[i] + ")");
        }
    }
}
