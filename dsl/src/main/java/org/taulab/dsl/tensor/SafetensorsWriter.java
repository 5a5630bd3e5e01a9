package org.taulab.dsl.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.Json;
import org.taulab.dsl.io.OutputFile;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.io.Sha256;

/**
 * Writes a state dict as safetensors, streaming one tensor at a time into a temporary file beside the
 * target and renaming it into place only when complete: an existing output is never left half-written,
 * and an input file is never replaced.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {
    }

    public static void write(Path target, StateDict dict, SaveOptions options) {
        Path out = target.toAbsolutePath().normalize();
        OutputFile.check(target);
        refuseInputs(out, dict, options);
        Path dir = out.getParent();
        List<Planned> plan = plan(dict, options);
        Map<String, String> metadata = new LinkedHashMap<>(dict.metadata());
        metadata.putAll(options.metadata());
        options.lateMetadata().keySet().forEach(k -> metadata.put(k, "0".repeat(Sha256.HEX_LENGTH)));
        byte[] header = header(plan, metadata);

        Path tmp;
        try {
            tmp = OutputFile.temporary(out);
        } catch (IOException e) {
            throw new TauLabException(target + ": cannot create a temporary file in " + dir + " (" + e.getMessage() + ")");
        }
        boolean done = false;
        // No TRUNCATE_EXISTING: the file was just created empty, and on ext4 truncating it marks it for a flush to
        // disk when closed (auto_da_alloc), which cost 70 ms per 350 MB merge.
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            writeAll(ch, prefix(header.length));
            writeAll(ch, ByteBuffer.wrap(header));
            int written = 0;
            for (Planned p : plan) {
                writeTensor(ch, dict, p, target);
                options.progress().update("writing " + out.getFileName(), ++written, plan.size());
            }
            if (!options.lateMetadata().isEmpty()) {
                for (Map.Entry<String, CompletableFuture<String>> late : options.lateMetadata().entrySet()) {
                    metadata.put(late.getKey(), join(late.getValue()));
                }
                byte[] finalHeader = header(plan, metadata);
                if (finalHeader.length != header.length) {
                    throw new IllegalStateException("late metadata changed the header length");
                }
                ch.position(8);
                writeAll(ch, ByteBuffer.wrap(finalHeader));
            }
            // No fsync: the rename below publishes only a complete file, which is what a crash of this
            // process must not break; flushing 350 MB to disk doubled a merge's wall time.
            done = true;
        } catch (IOException e) {
            throw new TauLabException(target + ": cannot write (" + e.getMessage() + ")");
        } finally {
            if (!done) {
                deleteQuietly(tmp);
            }
        }
        readableByAll(tmp);
        moveIntoPlace(tmp, out, target);
    }

    /** Temporary files are created owner-only; the finished model gets the usual rw-r--r--. */
    static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default
        }
    }

    /** A finished model folder gets the usual rwxr-xr-x (temporary folders are created owner-only). */
    static void readableByAllFolder(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default
        }
    }

    private static void refuseInputs(Path out, StateDict dict, SaveOptions options) {
        List<Path> inputs = new ArrayList<>(options.inputs());
        if (dict instanceof org.taulab.dsl.tensor.Weights w) {
            inputs.addAll(w.files());
        }
        for (Path in : inputs) {
            if (sameFile(out, in)) {
                throw new TauLabException(out + ": refusing to overwrite an input file; choose another output path");
            }
        }
    }

    public static boolean sameFile(Path a, Path b) {
        Path na = a.toAbsolutePath().normalize();
        Path nb = b.toAbsolutePath().normalize();
        if (na.equals(nb)) {
            return true;
        }
        try {
            return Files.exists(na) && Files.exists(nb) && Files.isSameFile(na, nb);
        } catch (IOException e) {
            return false;
        }
    }

    private record Planned(TensorEntry entry, DType dtype, long begin, long end) {
    }

    private static List<Planned> plan(StateDict dict, SaveOptions options) {
        List<Planned> plan = new ArrayList<>();
        long offset = 0;
        for (TensorEntry e : dict.entries().values()) {
            DType d = !e.isFloat() || options.floatDType() == null ? e.dtype() : options.floatDType();
            long length = e.elements() * d.bytes();
            plan.add(new Planned(e, d, offset, offset + length));
            offset += length;
        }
        return plan;
    }

    private static byte[] header(List<Planned> plan, Map<String, String> metadata) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            root.put("__metadata__", metadata);
        }
        for (Planned p : plan) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", p.dtype().name());
            t.put("shape", p.entry().shape());
            t.put("data_offsets", new long[] {p.begin(), p.end()});
            root.put(p.entry().name(), t);
        }
        byte[] json = Json.write(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private static ByteBuffer prefix(long headerLength) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, headerLength);
        return b;
    }

    private static void writeTensor(FileChannel ch, StateDict dict, Planned p, Path target) throws IOException {
        TensorEntry e = p.entry();
        ByteBuffer bytes;
        if (e.isFloat() && e.raw() != null && p.dtype() == DType.F32) {
            writeChecked(ch, e.raw().get().duplicate(), p, target);
        } else if (e.isFloat()) {
            try (NDManager m = Tensors.scope()) {
                NDArray x = dict.compute(e.name(), m);
                if (p.dtype() == DType.F16 && x.size() > 0 && x.getDataType() != ai.djl.ndarray.types.DataType.FLOAT16) {
                    requireFitsHalf(x, e.name(), target);
                }
                if (p.dtype() == DType.BF16 && x.size() > ENCODE_CHUNK) {
                    writeBf16InChunks(ch, x, p, target);
                    return;
                }
                bytes = TensorCodec.encodeFloat(x, p.dtype());
                writeChecked(ch, bytes, p, target);
            }
        } else {
            writeChecked(ch, e.raw().get().duplicate(), p, target);
        }
    }

    /** Above this many values a tensor is encoded to bfloat16 a part at a time (no whole-tensor copy on the heap). */
    static final int ENCODE_CHUNK = 1 << 22;

    private static void writeBf16InChunks(FileChannel ch, NDArray x, Planned p, Path target) throws IOException {
        long n = x.size();
        if (n * 2 != p.end() - p.begin()) {
            throw new TauLabException(target + ": tensor '" + p.entry().name() + "' produced " + n * 2 + " bytes, expected " + (p.end() - p.begin()));
        }
        try (NDArray flat = x.reshape(-1)) {
            for (long from = 0; from < n; from += ENCODE_CHUNK) {
                try (NDArray part = flat.get(new ai.djl.ndarray.index.NDIndex("{}:{}", from, Math.min(n, from + ENCODE_CHUNK)));
                     NDArray f32 = part.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)) {
                    writeAll(ch, TensorCodec.f32ToBf16(f32.toFloatArray()));
                }
            }
        }
    }

    /** float16 tops out at 65504: a larger finite value would be written as Inf without a word (Inf and NaN stay). */
    private static void requireFitsHalf(NDArray x, String name, Path target) {
        NDArray abs = x.abs();
        if (!abs.lte(HALF_MAX).logicalOr(abs.isInfinite()).logicalOr(x.isNaN()).all().getBoolean()) {
            float largest = NDArrays.where(abs.isInfinite(), abs.zerosLike(), abs).max().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
            throw new TauLabException(target + ": tensor '" + name + "' has values up to " + largest
                    + ", beyond float16's largest 65504; write f32 or bf16 instead");
        }
    }

    /** The largest float32 that rounds to a finite float16 (65504 plus half its last step). */
    private static final float HALF_MAX = 65519.996f;

    private static void writeChecked(FileChannel ch, ByteBuffer bytes, Planned p, Path target) throws IOException {
        if (bytes.remaining() != p.end() - p.begin()) {
            throw new TauLabException(target + ": tensor '" + p.entry().name() + "' produced " + bytes.remaining()
                    + " bytes, expected " + (p.end() - p.begin()));
        }
        writeAll(ch, bytes);
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static String join(CompletableFuture<String> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TauLabException("interrupted while hashing inputs");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof TauLabException t ? t : new TauLabException("hashing failed: " + c.getMessage());
        }
    }

    private static void moveIntoPlace(Path tmp, Path out, Path target) {
        try {
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new TauLabException(target + ": cannot move the finished file into place (" + e.getMessage() + ")");
        }
        OutputFile.finished(tmp);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
            OutputFile.finished(p);
        } catch (IOException ignored) {
            // best effort: the partial file is hidden and named *.partial
        }
    }
}
