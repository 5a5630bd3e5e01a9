package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import org.taulab.dsl.TauLabException;

/**
 * One tensor of a safetensors file open for positional reads of byte ranges, so a streaming merge can pass a
 * large tensor through buffers small enough to stay in the CPU cache.
 */
public final class TensorRangeReader implements AutoCloseable {
    private final SafetensorsFile file;
    private final String name;
    private final FileChannel channel;
    private final long start;
    private final long length;

    TensorRangeReader(SafetensorsFile file, String name, FileChannel channel, long start, long length) {
        this.file = file;
        this.name = name;
        this.channel = channel;
        this.start = start;
        this.length = length;
    }

    /** Fills {@code into} (position 0 up to its limit) with the tensor's bytes from {@code offset}; flipped, little-endian. */
    public void read(long offset, ByteBuffer into) {
        int wanted = into.remaining();
        if (offset < 0 || offset + wanted > length) {
            throw new IllegalArgumentException("bytes " + offset + ".." + (offset + wanted) + " of a " + length + "-byte tensor");
        }
        try {
            SafetensorsFile.readFully(channel, into, start + offset);
        } catch (IOException e) {
            throw new TauLabException(file.path() + ": cannot read tensor '" + SafetensorsHeader.printable(name) + "' (" + e.getMessage() + ")");
        }
        if (into.remaining() != wanted) {
            throw new TauLabException(file.path() + ": file is shorter than its header says (it changed after it was opened)");
        }
        into.order(ByteOrder.LITTLE_ENDIAN);
        file.consumed(start + offset + wanted);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new TauLabException(file.path() + ": cannot close (" + e.getMessage() + ")");
        }
    }
}
