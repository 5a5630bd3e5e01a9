package org.taulab.dsl.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * The parsed and validated JSON header of a safetensors file. Validation is complete before any tensor
 * is touched: every failure is a one-line {@link TauLabException} that starts with the file's name.
 */
public final class SafetensorsHeader {
    /** Headers above this size are refused before they are read (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Tensors in file order (the order of the header's keys). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Checks the 8-byte length prefix against the file size and the 100 MB limit. */
    public static long checkHeaderLength(long headerLength, long fileSize, String file) {
        if (fileSize < 8) {
            throw new TauLabException(file + ": not a safetensors file (" + fileSize + " bytes, shorter than the 8-byte header length)");
        }
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new TauLabException(file + ": header length " + Long.toUnsignedString(headerLength) + " exceeds the 100 MB limit");
        }
        if (headerLength > fileSize - 8) {
            throw new TauLabException(file + ": header length " + headerLength + " is larger than the file (" + fileSize + " bytes)");
        }
        if (headerLength < 2) {
            throw new TauLabException(file + ": header of " + headerLength + " bytes cannot hold a JSON object");
        }
        return headerLength;
    }

    /**
     * Parses the header JSON and checks every entry against the data section of {@code dataLength}
     * bytes: dtype known, shape × dtype size equal to the byte range, ranges inside the data, no overlap,
     * no holes, and no bytes after the last tensor.
     */
    public static SafetensorsHeader parse(byte[] headerBytes, long dataLength, String file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TauLabException(file + ": header is not valid UTF-8");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.TrailingContentException e) {
            throw new TauLabException(file + ": header is not valid JSON (content after the JSON object)");
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            if (why != null && why.startsWith("Duplicate field") && e instanceof JsonParseException pe
                    && pe.getProcessor() != null) {
                throw duplicateKey(pe.getProcessor().getParsingContext(), file);
            }
            throw new TauLabException(file + ": header is not valid JSON (" + jsonReason(e) + ")");
        } catch (IOException | RuntimeException e) {
            throw new TauLabException(file + ": header is not valid JSON (" + printable(firstLine(e.getMessage())) + ")");
        }
        if (!(root instanceof Map<?, ?> fields)) {
            throw new TauLabException(file + ": header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> field : fields.entrySet()) {
            String name = (String) field.getKey();
            if (name.equals("__metadata__")) {
                readMetadata(field.getValue(), metadata, file);
            } else {
                tensors.put(name, readTensor(name, field.getValue(), dataLength, file));
            }
        }
        checkLayout(tensors, dataLength, file);
        return new SafetensorsHeader(tensors, metadata);
    }

    /**
     * A key seen twice: at the top level that is a tensor name; deeper, a key of one tensor's entry
     * (or of __metadata__), named by the top-level key it sits under.
     */
    private static TauLabException duplicateKey(JsonStreamContext ctx, String file) {
        String key = "'" + printable(String.valueOf(ctx.getCurrentName())) + "'";
        JsonStreamContext entry = ctx;
        while (entry.getParent() != null && entry.getParent().getParent() != null && !entry.getParent().getParent().inRoot()) {
            entry = entry.getParent();
        }
        if (entry.getParent() == null || entry.getParent().inRoot()) {
            return new TauLabException(file + ": duplicate tensor name in header: " + key);
        }
        String owner = entry.getParent().getCurrentName();
        if ("__metadata__".equals(owner)) {
            return new TauLabException(file + ": __metadata__ has duplicate key " + key);
        }
        return new TauLabException(file + ": tensor '" + printable(String.valueOf(owner)) + "': duplicate key " + key + " in its header entry");
    }

    private static void readMetadata(Object node, Map<String, String> out, String file) {
        if (!(node instanceof Map<?, ?> entries)) {
            throw new TauLabException(file + ": __metadata__ must be an object of strings");
        }
        entries.forEach((key, value) -> {
            if (!(value instanceof String text)) {
                throw new TauLabException(file + ": __metadata__ value '" + printable((String) key) + "' is not a string");
            }
            out.put((String) key, text);
        });
    }

    private static TensorInfo readTensor(String name, Object node, long dataLength, String file) {
        String where = file + ": tensor '" + printable(name) + "'";
        if (!(node instanceof Map<?, ?> entry)) {
            throw new TauLabException(where + ": header entry is not an object");
        }
        if (!(entry.get("dtype") instanceof String dtypeName)) {
            throw new TauLabException(where + ": missing dtype");
        }
        DType dtype = DType.parse(printable(dtypeName), where);
        long[] shape = readShape(entry.get("shape"), where);
        if (!(entry.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)) {
            throw new TauLabException(where + ": data_offsets must be two integers [begin, end]");
        }
        if (begin < 0 || end < begin || end > dataLength) {
            throw new TauLabException(where + ": data_offsets [" + begin + ", " + end + "] out of range (data section is " + dataLength + " bytes)");
        }
        long expected;
        try {
            // no tensor library can hold a shape whose non-zero dimensions overflow, even with zero elements
            long strides = dtype.bytes();
            expected = dtype.bytes();
            for (long d : shape) {
                strides = Math.multiplyExact(strides, Math.max(d, 1));
                expected = Math.multiplyExact(expected, d);
            }
        } catch (ArithmeticException e) {
            throw new TauLabException(where + ": shape " + ShapeText.of(shape) + " is too large");
        }
        if (expected != end - begin) {
            throw new TauLabException(where + ": shape " + ShapeText.of(shape) + " × " + dtype + " needs " + expected
                    + " bytes but data_offsets give " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] readShape(Object node, String where) {
        if (!(node instanceof List<?> dims)) {
            throw new TauLabException(where + ": missing shape");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = dims.get(i);
            if (!(d instanceof Long dim) || dim < 0) {
                throw new TauLabException(where + ": shape entry " + printable(Json.write(d)) + " is not a non-negative integer");
            }
            shape[i] = dim;
        }
        return shape;
    }

    private static void checkLayout(Map<String, TensorInfo> tensors, long dataLength, String file) {
        List<TensorInfo> byOffset = new ArrayList<>(tensors.values());
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : byOffset) {
            if (t.begin() < covered) {
                throw new TauLabException(file + ": tensors '" + printable(previous.name()) + "' and '" + printable(t.name())
                        + "' overlap in the data section");
            }
            if (t.begin() > covered) {
                throw new TauLabException(file + ": " + (t.begin() - covered) + " unused bytes before tensor '" + printable(t.name())
                        + "' in the data section");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataLength) {
            throw new TauLabException(file + ": trailing garbage: " + (dataLength - covered) + " bytes after the last tensor");
        }
    }

    /** Jackson's reason without its "[Source: ...]" blocks, and where in the header it happened. */
    private static String jsonReason(JsonProcessingException e) {
        String why = firstLine(e.getOriginalMessage())
                .replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*\\[Source:[^\\]]*\\]", "")
                .trim();
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0 && at.getColumnNr() > 0) {
            why += at.getLineNr() == 1 ? " at column " + at.getColumnNr() : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        }
        return printable(why);
    }

    /** {@code s} with control and line-separator characters escaped, so a message stays one line. */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (escape && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                switch (c) {
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (escape) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
        }
        return b == null ? s : b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

}
