package org.taulab.dsl.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SafetensorsFile;
import org.taulab.dsl.io.TensorRangeReader;
import org.taulab.dsl.linalg.Svd;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * CART of float32 safetensors files in plain Java, for a merge streamed to disk: per tensor every model is read
 * once, {@code θ_avg = (Σ_t θ_t) / T}, and at the selected matrices {@code ν_t = θ_t − θ_avg} (in place) are
 * decomposed in parallel and {@code θ_avg + λ Σ_t SVD_k(ν_t)} written. The engine path reads each model twice per
 * matrix (once for the average, once for its centered vector) and moves every tensor through the tensor engine,
 * which this path does not load at all. The arithmetic is the engine path's, in its order (sums from the first
 * model on, a division by T, the same decompositions of the same values), so the two agree bit for bit; the next
 * selected matrix is read on a helper thread while the current one is decomposed.
 */
final class CartFiles {
    private static final ExecutorService AHEAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "taulab-cart-read");
        t.setDaemon(true);
        return t;
    });

    /** Floats per read of a tensor the step does not touch. */
    private static final int CHUNK = 1 << 20;

    private CartFiles() {
    }

    /**
     * {@code computed} (the engine's CART) with each float tensor's float32 bytes also available from this path, when
     * it applies: a one-shot merge of loaded float32 files where two selected matrices' T + 1 copies each (the one
     * merged and the one read ahead) fit in a quarter of the heap. Otherwise {@code computed} itself.
     */
    static Weights withFastPath(Weights computed, MergeInputs in, LowRankStep step) {
        if (!in.isOneShot() || !LinearMergeFiles.storedFloat32(in.finetuned())) {
            return computed;
        }
        List<String> matrices = step.selected(in);
        long budget = Runtime.getRuntime().maxMemory() / 4;
        for (String name : matrices) {
            if (2 * 4L * (in.count() + 1) * in.layout().entry(name).elements() > budget) {
                return computed;
            }
        }
        Reader reader = new Reader(in, step, matrices);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (TensorEntry e : computed.entries().values()) {
            entries.put(e.name(), e.isFloat() && e.dtype() == DType.F32
                    ? new TensorEntry(e.name(), e.dtype(), e.shape(), e.source(), () -> reader.merged(e.name())) : e);
        }
        return new Weights(entries, computed.metadata(), computed.label());
    }

    /** The T models' values of one tensor and their average; centered in place at a selected matrix. */
    private record Group(float[][] models, float[] average) {
    }

    /** Reads the groups in the writer's order, one selected matrix ahead, and merges each tensor into a reused buffer. */
    private static final class Reader {
        private final MergeInputs in;
        private final LowRankStep step;
        private final List<String> matrices;
        private final List<SafetensorsFile> files = new ArrayList<>();
        private final Map<String, CompletableFuture<Group>> pending = new HashMap<>();
        private final Map<Integer, ArrayDeque<float[]>> idle = new HashMap<>();
        private ByteBuffer out = ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
        /** The first selected matrix not yet merged: the one read ahead. */
        private int upcoming;
        /** Each reading thread's buffer for a tensor's bytes (the writer's and the helper's). */
        private final ThreadLocal<ByteBuffer> bytes = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0));

        Reader(MergeInputs in, LowRankStep step, List<String> matrices) {
            this.in = in;
            this.step = step;
            this.matrices = matrices;
            in.finetuned().forEach(w -> files.add(w.stored()));
        }

        /** The merged tensor's float32 bytes, valid until the next call. */
        synchronized ByteBuffer merged(String name) {
            int at = matrices.indexOf(name);
            if (at >= 0) {
                upcoming = at + 1;
            }
            if (upcoming < matrices.size()) {
                pending.computeIfAbsent(matrices.get(upcoming), k -> CompletableFuture.supplyAsync(() -> read(k), AHEAD));
            }
            float[] result = at < 0 ? average(name) : lowRankPlusAverage(name, group(name));
            int n = result.length;
            if (out.capacity() < 4 * n) {
                out = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            }
            out.clear().limit(4 * n);
            out.asFloatBuffer().put(result, 0, n);
            if (at < 0) {
                release(result);
            }
            return out;
        }

        private Group group(String name) {
            CompletableFuture<Group> ahead = pending.remove(name);
            if (ahead == null) {
                return read(name);
            }
            try {
                return ahead.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        private float[] lowRankPlusAverage(String name, Group g) {
            long[] shape = in.layout().entry(name).shape();
            int rows = (int) shape[0];
            int cols = (int) shape[1];
            int k = step.rank().k(rows, cols);
            int wanted = Math.min(Math.max(k, in.plannedRank(rows, cols)), Math.min(rows, cols));
            float[] avg = g.average();
            float[][] nu = g.models();
            for (float[] v : nu) {
                for (int i = 0; i < v.length; i++) {
                    v[i] -= avg[i];
                }
            }
            Svd[] svds;
            try {
                svds = IntStream.range(0, nu.length).parallel()
                        .mapToObj(t -> step.svd().decompose(nu[t], rows, cols, wanted, name)).toArray(Svd[]::new);
            } catch (TauLabException e) {
                in.requireFinite(name);
                throw e;
            }
            float[] sum = Svd.sumOfTruncations(svds, k, (float) step.lambda());
            for (int i = 0; i < sum.length; i++) {
                sum[i] += avg[i];
            }
            release(g);
            requireFinite(name, sum);
            return sum;
        }

        /** Every model's values of the tensor, read once, and their average (a NaN or Inf names its input). */
        private Group read(String name) {
            int n = (int) in.layout().entry(name).elements();
            float[][] models = new float[files.size()][];
            for (int t = 0; t < models.length; t++) {
                models[t] = take(n);
                readInto(files.get(t), name, 0, n, models[t], 0);
            }
            float[] avg = take(n);
            System.arraycopy(models[0], 0, avg, 0, n);
            for (int t = 1; t < models.length; t++) {
                add(avg, 0, models[t], n);
            }
            divide(avg, models.length, 0, n);
            requireFinite(name, avg);
            return new Group(models, avg);
        }

        /** θ_avg of a tensor the step does not touch, a chunk of every model at a time (an embedding may be a gigabyte). */
        private float[] average(String name) {
            int n = (int) in.layout().entry(name).elements();
            float[] avg = take(n);
            float[] x = new float[Math.min(n, CHUNK)];
            for (int from = 0; from < n; from += CHUNK) {
                int len = Math.min(CHUNK, n - from);
                readInto(files.get(0), name, from, len, avg, from);
                for (int t = 1; t < files.size(); t++) {
                    readInto(files.get(t), name, from, len, x, 0);
                    add(avg, from, x, len);
                }
                divide(avg, files.size(), from, len);
            }
            requireFinite(name, avg);
            return avg;
        }

        /** Floats {@code [from, from + len)} of a tensor into {@code into[at, at + len)}. */
        private void readInto(SafetensorsFile f, String name, long from, int len, float[] into, int at) {
            ByteBuffer b = bytes.get();
            if (b.capacity() < 4 * len) {
                b = ByteBuffer.allocateDirect(4 * len);
                bytes.set(b);
            }
            b.clear().limit(4 * len);
            try (TensorRangeReader r = f.rangeReader(name)) {
                r.read(4 * from, b);
            }
            b.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, at, len);
        }

        /** {@code sum[at, at + len) += x[0, len)}, element by element as the engine adds. */
        private static void add(float[] sum, int at, float[] x, int len) {
            for (int i = 0; i < len; i++) {
                sum[at + i] += x[i];
            }
        }

        private static void divide(float[] values, float count, int from, int len) {
            for (int i = from; i < from + len; i++) {
                values[i] /= count;
            }
        }

        private void requireFinite(String name, float[] values) {
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    in.requireFinite(name);
                    throw new TauLabException("merged tensor '" + name + "' overflowed to Inf or NaN (inputs are finite)");
                }
            }
        }

        /** A float array of length n from those this merge has finished with, or a new one. */
        private float[] take(int n) {
            synchronized (idle) {
                ArrayDeque<float[]> free = idle.get(n);
                float[] a = free == null ? null : free.pollFirst();
                return a != null ? a : new float[n];
            }
        }

        private void release(Group g) {
            for (float[] m : g.models()) {
                release(m);
            }
            release(g.average());
        }

        /** Keeps the array for a later {@link #take} (at most two groups' worth of each length). */
        private void release(float[] a) {
            synchronized (idle) {
                ArrayDeque<float[]> free = idle.computeIfAbsent(a.length, k -> new ArrayDeque<>());
                if (free.size() < 2 * (files.size() + 1)) {
                    free.addLast(a);
                }
            }
        }
    }
}
