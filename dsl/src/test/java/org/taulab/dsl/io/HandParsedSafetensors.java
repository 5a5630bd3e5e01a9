package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A written safetensors file read back by hand (not with {@link SafetensorsFile}): prefix, header JSON
 * through plain Jackson, data bytes. Opening one asserts the layout a writer must produce: header length a
 * multiple of 8 and padded with spaces, tensors contiguous in header order from 0 to the end of the file.
 */
final class HandParsedSafetensors {
    final long headerLength;
    final String headerText;
    final JsonNode header;
    final byte[] data;

    private HandParsedSafetensors(long headerLength, String headerText, JsonNode header, byte[] data) {
        this.headerLength = headerLength;
        this.headerText = headerText;
        this.header = header;
        this.data = data;
    }

    static HandParsedSafetensors read(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        assertTrue(all.length >= 8, "file shorter than the prefix");
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertTrue(n >= 2 && 8 + n <= all.length, "header length " + n + " in a file of " + all.length);
        assertEquals(0, n % 8, "header length " + n + " is not a multiple of 8");
        String text = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{"), text);
        assertTrue(text.stripTrailing().endsWith("}"), "header does not end with its object: " + text);
        assertTrue(text.substring(text.stripTrailing().length()).chars().allMatch(c -> c == ' '), "padding is not spaces");
        JsonNode header = new ObjectMapper().readTree(text);
        byte[] data = Arrays.copyOfRange(all, 8 + (int) n, all.length);
        HandParsedSafetensors f = new HandParsedSafetensors(n, text, header, data);
        f.assertContiguous();
        return f;
    }

    private void assertContiguous() {
        long next = 0;
        for (String name : names()) {
            JsonNode offsets = header.get(name).get("data_offsets");
            assertEquals(next, offsets.get(0).longValue(), "tensor '" + name + "' does not start where the previous ended");
            long end = offsets.get(1).longValue();
            long elements = 1;
            for (long d : shape(name)) {
                elements *= d;
            }
            assertEquals(elements * DType.valueOf(dtype(name)).bytes(), end - next, "byte range of '" + name + "'");
            next = end;
        }
        assertEquals(data.length, next, "data section length");
    }

    /** Tensor names in header order. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        Iterator<String> it = header.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!k.equals("__metadata__")) {
                names.add(k);
            }
        }
        return names;
    }

    String dtype(String name) {
        return header.get(name).get("dtype").textValue();
    }

    long[] shape(String name) {
        JsonNode s = header.get(name).get("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).longValue();
        }
        return shape;
    }

    byte[] bytes(String name) {
        JsonNode offsets = header.get(name).get("data_offsets");
        return Arrays.copyOfRange(data, offsets.get(0).intValue(), offsets.get(1).intValue());
    }

    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode meta = header.get("__metadata__");
        if (meta != null) {
            meta.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().textValue()));
        }
        return m;
    }
}
