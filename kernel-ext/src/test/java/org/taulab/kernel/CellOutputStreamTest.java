package org.taulab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CellOutputStreamTest {
    @Test
    void aBatchEndsOnACharacterBoundary() {
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8);   // 1 + 2 + 3 + 4 bytes
        int[] boundaries = {0, 1, 3, 6, 10};
        for (int len = 0; len <= text.length; len++) {
            int expected = 0;
            for (int b : boundaries) {
                if (b <= len) {
                    expected = b;
                }
            }
            assertEquals(expected, CellOutputStream.wholeCharacters(Arrays.copyOf(text, len)), "first " + len + " bytes");
        }
    }

    @Test
    void strayContinuationBytesDoNotHoldTheBatchBack() {
        byte[] invalid = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        assertEquals(invalid.length, CellOutputStream.wholeCharacters(invalid));
    }
}
