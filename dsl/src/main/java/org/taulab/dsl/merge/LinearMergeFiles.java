package org.taulab.dsl.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SafetensorsFile;
import org.taulab.dsl.io.TensorInfo;
import org.taulab.dsl.io.TensorRangeReader;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * Task arithmetic and weight averaging of float32 safetensors files in plain Java, tensor by tensor from the
 * page cache: {@code θ = θ_pre + λ Σ_t (θ_t − θ_pre)} or {@code θ = (1/T) Σ_t θ_t}. Element-wise merges are
 * memory-bound, so task arithmetic and averaging take this path (see {@link #withFastPath}) when every float
 * tensor is stored as F32 and the output is F32: it skips loading the tensor engine (about a second) and one copy per input. The result is a state dict whose
 * tensors are computed into a reused buffer as the safetensors writer streams them (each is written before the next
 * is computed); other dtypes and every other merge use the engine.
 */
public final class LinearMergeFiles {
    private LinearMergeFiles() {
    }

    /**
     * {@code computed} (the engine's result of the same merge) with each float tensor's bytes also available from
     * this path, which the safetensors writer takes when it writes float32; when the path does not apply (an input
     * was computed, or is not float32), {@code computed} itself. Reading the tensors still goes through the engine.
     */
    static Weights withFastPath(Weights computed, MergeInputs in, Double lambda) {
        Weights fast = merge(in, lambda, computed.metadata());
        if (fast == null) {
            return computed;
        }
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (TensorEntry e : computed.entries().values()) {
            TensorEntry f = fast.entries().get(e.name());
            entries.put(e.name(), e.isFloat() && e.dtype() == DType.F32 && f != null && f.raw() != null
                    ? new TensorEntry(e.name(), e.dtype(), e.shape(), e.source(), f.raw()) : e);
        }
        return new Weights(entries, computed.metadata(), computed.label());
    }

    /**
     * Task arithmetic at {@code lambda} (average when null) of inputs whose layouts {@link MergeInputs} has checked,
     * or null when this path does not apply: an input was computed rather than loaded, or a float tensor is not
     * stored as float32. Integer tensors are passed through from the base (else the first model).
     */
    public static Weights merge(MergeInputs in, Double lambda, Map<String, String> metadata) {
        if (lambda != null && in.base() == null) {
            throw new TauLabException("task arithmetic needs the pretrained model");
        }
        SafetensorsFile base = in.base() == null ? null : in.base().stored();
        List<SafetensorsFile> finetuned = new ArrayList<>();
        for (Weights w : in.finetuned()) {
            finetuned.add(w.stored());
        }
        if (finetuned.contains(null) || (in.base() != null && base == null)) {
            return null;
        }
        List<SafetensorsFile> all = new ArrayList<>(finetuned);
        if (base != null) {
            all.add(base);
        }
        if (!allFloat32(all)) {
            return null;
        }
        Weights layout = in.base() != null ? in.base() : in.finetuned().get(0);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (TensorEntry e : layout.entries().values()) {
            entries.put(e.name(), !e.isFloat() ? e : TensorEntry.passThrough(e.name(), DType.F32, e.shape(),
                    () -> lambda != null ? combine(base, finetuned, e.name(), lambda.floatValue()) : combine(null, finetuned, e.name(), 1)));
        }
        return new Weights(entries, metadata, "merged");
    }

    /** Whether every model was loaded from one safetensors file whose float tensors are all float32. */
    static boolean storedFloat32(List<Weights> models) {
        List<SafetensorsFile> files = new ArrayList<>();
        for (Weights w : models) {
            if (w.stored() == null) {
                return false;
            }
            files.add(w.stored());
        }
        return allFloat32(files);
    }

    private static boolean allFloat32(List<SafetensorsFile> files) {
        for (SafetensorsFile f : files) {
            for (TensorInfo t : f.tensors().values()) {
                if (t.dtype().isFloat() && t.dtype() != DType.F32) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Floats per chunk: the chunk's four buffers (base, input, sum, bytes) stay in the CPU's L2 cache. */
    static final int CHUNK = 32 * 1024;
    private static final int EXPONENT = 0x7f800000;

    /** Per-thread chunk buffers, reused across tensors. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** Per-caller output buffer, grown to the largest tensor and reused: each tensor is written before the next is computed. */
    private static final ThreadLocal<ByteBuffer> OUT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    /** Threads that take a share of each tensor's chunks alongside the caller; reading many gigabytes is faster on every core. */
    private static final ExecutorService HELPERS = THREADS < 2 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "taulab-merge");
        t.setDaemon(true);
        return t;
    });

    private static final class Scratch {
        final float[] pre = new float[CHUNK];
        final float[] sum = new float[CHUNK];
        final float[] x = new float[CHUNK];
        final ByteBuffer bytes = ByteBuffer.allocateDirect(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);

        void read(TensorRangeReader in, int offset, int length, float[] into) {
            bytes.clear().limit(4 * length);
            in.read(4L * offset, bytes);
            bytes.asFloatBuffer().get(into, 0, length);
        }
    }

    /**
     * Task arithmetic at {@code lambda} ({@code base} given) or the average of one tensor. Every input is read once,
     * chunk by chunk; the chunks are shared out among the cores. The result is valid until this thread's next call.
     */
    private static ByteBuffer combine(SafetensorsFile base, List<SafetensorsFile> fts, String name, float lambda) {
        int n = (int) fts.get(0).info(name).elements();
        ByteBuffer out = OUT.get();
        if (out.capacity() < 4 * n) {
            out = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            OUT.set(out);
        }
        out.clear().limit(4 * n);
        int chunks = (n + CHUNK - 1) / CHUNK;
        int parts = HELPERS == null ? 1 : Math.max(1, Math.min(chunks, THREADS));
        List<Future<Integer>> helped = new ArrayList<>();
        for (int p = 1; p < parts; p++) {
            int from = chunks * p / parts;
            int to = chunks * (p + 1) / parts;
            ByteBuffer target = out;
            helped.add(HELPERS.submit(() -> combineChunks(base, fts, name, lambda, n, from, to, target)));
        }
        int exponents = combineChunks(base, fts, name, lambda, n, 0, chunks / parts, out);
        for (Future<Integer> f : helped) {
            exponents = Math.max(exponents, join(f));
        }
        if (exponents == EXPONENT) {
            throw nonFinite(name, base, fts, n);
        }
        return out;
    }

    private static int join(Future<Integer> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TauLabException("interrupted during the merge");
        }
    }

    /**
     * Chunks {@code [from, to)} of one tensor of {@code n} floats into {@code out}: each chunk's arithmetic runs on cache-resident arrays in
     * loops the JIT vectorizes, in the peers' order exactly (Σ of the differences, then base + λ·Σ; or Σ, then ·1/T), so
     * results agree with numpy bit for bit. Returns the largest exponent field seen (all ones: a NaN or an infinity).
     */
    private static int combineChunks(SafetensorsFile base, List<SafetensorsFile> fts, String name, float lambda, int n, int from,
            int to, ByteBuffer out) {
        Scratch s = SCRATCH.get();
        FloatBuffer values = out.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] pre = s.pre;
        float[] sum = s.sum;
        float[] x = s.x;
        float inverse = 1f / fts.size();
        int exponents = 0;
        List<TensorRangeReader> readers = new ArrayList<>();
        try {
            TensorRangeReader baseReader = base == null ? null : open(readers, base, name);
            for (SafetensorsFile f : fts) {
                open(readers, f, name);
            }
            List<TensorRangeReader> inputs = readers.subList(baseReader == null ? 0 : 1, readers.size());
            for (int offset = from * CHUNK; offset < Math.min(n, to * CHUNK); offset += CHUNK) {
                int len = Math.min(CHUNK, n - offset);
                java.util.Arrays.fill(sum, 0, len, 0f);
                if (baseReader != null) {
                    s.read(baseReader, offset, len, pre);
                }
                for (TensorRangeReader in : inputs) {
                    s.read(in, offset, len, x);
                    if (baseReader != null) {
                        addDifference(sum, x, pre, len);
                    } else {
                        add(sum, x, len);
                    }
                }
                if (baseReader != null) {
                    scaleOnto(sum, lambda, pre, len);
                } else {
                    scale(sum, inverse, len);
                }
                exponents = Math.max(exponents, maxExponent(sum, len));
                values.put(offset, sum, 0, len);
            }
        } finally {
            readers.forEach(TensorRangeReader::close);
        }
        return exponents;
    }

    // The chunk kernels are small methods of their own: C2 compiles each small loop in a few milliseconds, so a merge
    // reaches vectorized code sooner than with one large method holding every loop.

    /** {@code sum += x − pre}. */
    private static void addDifference(float[] sum, float[] x, float[] pre, int len) {
        for (int i = 0; i < len; i++) {
            sum[i] += x[i] - pre[i];
        }
    }

    /** {@code sum += x}. */
    private static void add(float[] sum, float[] x, int len) {
        for (int i = 0; i < len; i++) {
            sum[i] += x[i];
        }
    }

    /** {@code sum = pre + λ·sum}. */
    private static void scaleOnto(float[] sum, float lambda, float[] pre, int len) {
        for (int i = 0; i < len; i++) {
            sum[i] = pre[i] + lambda * sum[i];
        }
    }

    /** {@code sum *= factor}. */
    private static void scale(float[] sum, float factor, int len) {
        for (int i = 0; i < len; i++) {
            sum[i] *= factor;
        }
    }

    /** The largest float32 exponent field among {@code values[0, len)}. */
    private static int maxExponent(float[] values, int len) {
        int exponents = 0;
        for (int i = 0; i < len; i++) {
            exponents = Math.max(exponents, Float.floatToRawIntBits(values[i]) & EXPONENT);
        }
        return exponents;
    }

    private static TensorRangeReader open(List<TensorRangeReader> readers, SafetensorsFile f, String name) {
        TensorRangeReader r = f.rangeReader(name);
        readers.add(r);
        return r;
    }

    /** A non-finite merged value, traced back to the input that holds one (else the merge overflowed). */
    private static TauLabException nonFinite(String name, SafetensorsFile base, List<SafetensorsFile> fts, int n) {
        List<SafetensorsFile> all = new ArrayList<>(fts);
        if (base != null) {
            all.add(0, base);
        }
        for (SafetensorsFile f : all) {
            String bad = f.withBytes(name, bytes -> {
                FloatBuffer x = bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    if (!Float.isFinite(x.get(i))) {
                        return Float.isNaN(x.get(i)) ? "NaN" : "Inf";
                    }
                }
                return null;
            });
            if (bad != null) {
                return new TauLabException("tensor '" + name + "' in " + f.path().getFileName() + " contains " + bad);
            }
        }
        return new TauLabException("the merge of tensor '" + name + "' overflows float32");
    }
}
