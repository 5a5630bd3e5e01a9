package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.taulab.dsl.TauLabException;

/**
 * A safetensors file opened for lazy reading: the header is parsed and validated at once, tensor bytes are
 * read one tensor (or one range of it) at a time when asked for, so only what is used is ever resident; the
 * bytes that follow the last read are brought into the page cache in the background ({@link Readahead}).
 */
public final class SafetensorsFile {
    private final Path path;
    private final SafetensorsHeader header;
    private final long dataStart;
    private final Readahead readahead;

    private SafetensorsFile(Path path, SafetensorsHeader header, long dataStart, long size) {
        this.path = path;
        this.header = header;
        this.dataStart = dataStart;
        this.readahead = new Readahead(path, size);
    }

    public static SafetensorsFile open(Path path) {
        String file = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, prefix, 0);
            long headerLength = SafetensorsHeader.checkHeaderLength(size < 8 ? 0 : prefix.getLong(0), size, file);
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBytes, 8);
            long dataStart = 8 + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(headerBytes.array(), size - dataStart, file);
            return new SafetensorsFile(path, header, dataStart, size);
        } catch (NoSuchFileException e) {
            throw new TauLabException(file + ": no such file");
        } catch (IOException e) {
            throw new TauLabException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
        long pos = position;
        while (into.hasRemaining()) {
            int n = ch.read(into, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        into.flip();
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return header.tensors();
    }

    public Map<String, String> metadata() {
        return header.metadata();
    }

    public TensorInfo info(String name) {
        TensorInfo t = header.tensors().get(name);
        if (t == null) {
            throw new TauLabException(path + ": no tensor named '" + SafetensorsHeader.printable(name) + "'");
        }
        return t;
    }

    /**
     * Runs {@code use} on the tensor's bytes, read with one positional read into a buffer this thread
     * reuses. Reading beats memory-mapping here: the mapped pages' faults were most of a streaming
     * merge's time (profiled), and nothing stays resident afterwards. {@code use} must not keep the buffer.
     */
    public <R> R withBytes(String name, java.util.function.Function<ByteBuffer, R> use) {
        ByteBuffer buffer = ReadBuffer.get(byteLength(name));
        read(name, buffer);
        return use.apply(buffer);
    }

    /** The tensor's size in bytes (tensors over 2 GiB are refused). */
    public int byteLength(String name) {
        TensorInfo t = info(name);
        if (t.byteLength() > Integer.MAX_VALUE) {
            throw new TauLabException(path + ": tensor '" + SafetensorsHeader.printable(name) + "' is " + t.byteLength()
                    + " bytes; tensors over 2 GiB are not supported");
        }
        return (int) t.byteLength();
    }

    /** The consumer has read the file up to byte {@code end}. */
    void consumed(long end) {
        readahead.after(end);
    }

    Readahead readahead() {
        return readahead;
    }

    /** Opens the tensor for reads of its byte ranges (close it when done). */
    public TensorRangeReader rangeReader(String name) {
        TensorInfo t = info(name);
        try {
            return new TensorRangeReader(this, name, FileChannel.open(path, StandardOpenOption.READ), dataStart + t.begin(), t.byteLength());
        } catch (IOException e) {
            throw new TauLabException(path + ": cannot read tensor '" + SafetensorsHeader.printable(name) + "' (" + e.getMessage() + ")");
        }
    }

    /** Reads the tensor's bytes into {@code into} (position 0, limit = its byte length), little-endian, flipped. */
    public void read(String name, ByteBuffer into) {
        try (TensorRangeReader whole = rangeReader(name)) {
            whole.read(0, into);
        }
    }
}
