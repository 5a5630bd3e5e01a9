package org.taulab.dsl.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Shapes written the way PyTorch users read them: [768, 3072]. */
public final class ShapeText {
    private ShapeText() {
    }

    public static String of(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
