package org.taulab.dsl.io;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Structure-aware companion of {@link SafetensorsFuzzTest}: the fuzzer picks dtypes, shapes (zero, small
 * and huge dimensions, high ranks) and byte ranges, and this builds a well-formed-looking header around them,
 * usually consistent, sometimes off by a little. Random bytes rarely get that far, and this is where a header
 * the reader accepts could still break the tensor engine (a shape PyTorch cannot hold, say). Same invariant:
 * refused with a one-line {@link org.taulab.dsl.TauLabException}, or every tensor reads back.
 *
 * <p>Regression mode runs the empty input only. Fuzzing:
 * {@code JAZZER_FUZZ=1 mvn -o -pl dsl test -Dtest=SafetensorsShapeFuzzTest}.
 */
class SafetensorsShapeFuzzTest {
    private static final long[] DIMENSIONS = {0, 1, 2, 3, 7, 64, 1L << 31, 1L << 32, 1L << 62, Long.MAX_VALUE};

    @FuzzTest(maxDuration = "60s")
    void loadGeneratedHeader(FuzzedDataProvider in) throws IOException {
        StringBuilder json = new StringBuilder("{");
        if (in.consumeBoolean()) {
            json.append("\"__metadata__\":{\"k\":").append(HandMadeSafetensors.quote(in.consumeString(8))).append("},");
        }
        long offset = 0;
        int tensors = in.consumeInt(0, 3);
        for (int i = 0; i < tensors; i++) {
            String dtype = in.consumeInt(0, 20) == 0 ? in.consumeString(6) : in.pickValue(DType.values()).name();
            int itemSize = dtype.equals("F64") || dtype.equals("I64") ? 8 : dtype.matches("F32|I32") ? 4
                    : dtype.matches("F16|BF16|I16") ? 2 : 1;
            long[] shape = new long[in.consumeInt(0, 40) < 36 ? in.consumeInt(0, 4) : in.consumeInt(5, 70)];
            long elements = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.consumeBoolean() ? in.pickValue(DIMENSIONS) : in.consumeLong(-2, 5);
                elements = elements < 0 || shape[d] < 0 ? -1 : multiplyOrMinus(elements, shape[d]);
            }
            long length = elements >= 0 && elements * itemSize <= 512 ? elements * itemSize : in.consumeInt(0, 64);
            if (in.consumeInt(0, 10) == 0) {
                length += in.consumeInt(-4, 4);
            }
            long begin = in.consumeInt(0, 10) == 0 ? offset + in.consumeInt(-4, 4) : offset;
            json.append(i == 0 ? "" : ",").append(HandMadeSafetensors.quote("t" + i + (in.consumeInt(0, 10) == 0 ? in.consumeString(3) : "")))
                    .append(':').append(HandMadeSafetensors.entry(dtype, shape, begin, begin + length));
            offset = Math.max(offset, begin + length);
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] data = in.consumeBytes((int) Math.min(Math.max(offset, 0) + in.consumeInt(0, 2), 4096));
        byte[] padded = java.util.Arrays.copyOf(data, (int) Math.min(Math.max(offset, 0), 4096));
        if (data.length > padded.length) {
            padded = data;
        }
        Path p = SafetensorsFuzzTest.file();
        Files.write(p, HandMadeSafetensors.concat(HandMadeSafetensors.prefix(header.length), header, padded));
        SafetensorsFuzzTest.loadAndReadEverything(p);
    }

    private static long multiplyOrMinus(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return -1;
        }
    }
}
