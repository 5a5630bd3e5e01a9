package org.taulab.dsl.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Krylov basis's tiled transpose against its definition ({@code out[j][i] = a[i][j]}) at shapes that are and
 * are not multiples of its 8 × 8 tiles and 16 × 256 blocks, and the off-heap rows it appends to.
 */
class TransposeAndRowsTest {

    @Test
    void theTransposeMovesEveryEntryToItsMirrorPosition() {
        int[][] shapes = {{1, 1}, {1, 13}, {13, 1}, {7, 7}, {8, 8}, {9, 17}, {16, 256}, {17, 257}, {40, 3}, {3, 40},
            {300, 70}, {70, 300}, {264, 24}, {33, 520}};
        for (int[] shape : shapes) {
            int r = shape[0];
            int c = shape[1];
            float[] a = KrylovBasis.gaussian(new Random(31L * r + c), r, c);
            float[] t = KrylovBasis.transpose(a, r, c);
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    assertEquals(a[i * c + j], t[j * r + i], 0f, r + "×" + c + " at (" + i + ", " + j + ")");
                }
            }
            assertArrayEquals(a, KrylovBasis.transpose(t, c, r), r + "×" + c + " transposed twice");
        }
    }

    @Test
    void columnsAppendedAsRowsReadBackInFloatAndDouble() {
        int rowLength = 37;
        float[] first = KrylovBasis.gaussian(new Random(1), rowLength, 5);
        float[] second = KrylovBasis.gaussian(new Random(2), rowLength, 3);
        for (boolean doubles : new boolean[] {false, true}) {
            OffHeapRows rows = new OffHeapRows(doubles);
            rows.reset(rowLength, 2);
            rows.appendColumnsOf(first, 5);
            rows.appendRows(KrylovBasis.transpose(second, rowLength, 3), 3);
            assertEquals(8, rows.rows());
            for (int row = 0; row < 8; row++) {
                for (int i = 0; i < rowLength; i++) {
                    float expected = row < 5 ? first[i * 5 + row] : second[i * 3 + row - 5];
                    long at = (long) row * rowLength + i;
                    double got = doubles ? rows.doubles().get(at) : rows.floats().get(at);
                    assertEquals(expected, got, 0.0, (doubles ? "double" : "float") + " row " + row + " entry " + i);
                }
            }
            rows.free();
        }
    }
}
