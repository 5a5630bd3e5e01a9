package org.taulab.dsl.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SafetensorsFile;
import org.taulab.dsl.io.TensorInfo;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/**
 * Task arithmetic and weight averaging of float32 safetensors files in plain Java, tensor by tensor from the
 * page cache: {@code θ = θ_pre + λ Σ_t (θ_t − θ_pre)} or {@code θ = (1/T) Σ_t θ_t}. Element-wise merges are
 * memory-bound, so the command line takes this path when every float tensor is stored as F32 and the output is
 * F32: it skips loading the tensor engine (about a second) and one copy per input. The result is a state dict whose
 * tensors are computed into a reused buffer as the safetensors writer streams them (each is written before the next
 * is computed); other dtypes and every other merge use the engine.
 */
public final class LinearMergeFiles {
    private LinearMergeFiles() {
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
        List<SafetensorsFile> finetuned = new java.util.ArrayList<>();
        for (Weights w : in.finetuned()) {
            finetuned.add(w.stored());
        }
        if (finetuned.contains(null) || (in.base() != null && base == null)) {
            return null;
        }
        List<SafetensorsFile> all = new java.util.ArrayList<>(finetuned);
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
                    () -> lambda != null ? taskArithmetic(base, finetuned, e.name(), lambda.floatValue()) : average(finetuned, e.name())));
        }
        return new Weights(entries, metadata, "merged");
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

    /** Per-thread scratch reused across tensors: large arrays would otherwise be allocated (and zeroed) per tensor and input. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] pre = new float[0];
        float[] sum = new float[0];
        ByteBuffer out = ByteBuffer.allocateDirect(0);

        Scratch fit(int n) {
            if (pre.length < n) {
                pre = new float[n];
                sum = new float[n];
                out = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            }
            return this;
        }
    }

    private static ByteBuffer taskArithmetic(SafetensorsFile base, List<SafetensorsFile> fts, String name, float lambda) {
        int n = (int) base.info(name).elements();
        Scratch s = SCRATCH.get().fit(n);
        float[] pre = s.pre;
        float[] sum = s.sum;
        base.withBytes(name, bytes -> bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pre, 0, n));
        java.util.Arrays.fill(sum, 0, n, 0f);
        for (SafetensorsFile f : fts) {
            f.withBytes(name, bytes -> {
                FloatBuffer x = bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    sum[i] += x.get(i) - pre[i];
                }
                return null;
            });
        }
        for (int i = 0; i < n; i++) {
            sum[i] = pre[i] + lambda * sum[i];
        }
        return finite(s, n, name, base, fts);
    }

    private static ByteBuffer average(List<SafetensorsFile> fts, String name) {
        int n = (int) fts.get(0).info(name).elements();
        Scratch s = SCRATCH.get().fit(n);
        float[] sum = s.sum;
        java.util.Arrays.fill(sum, 0, n, 0f);
        for (SafetensorsFile f : fts) {
            f.withBytes(name, bytes -> {
                FloatBuffer x = bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    sum[i] += x.get(i);
                }
                return null;
            });
        }
        float inv = 1f / fts.size();
        for (int i = 0; i < n; i++) {
            sum[i] *= inv;
        }
        return finite(s, n, name, null, fts);
    }

    /**
     * The merged values (the first {@code n} of the scratch sum) as little-endian bytes in the reused output buffer,
     * valid until the next tensor; a non-finite value is traced back to the input that holds one.
     */
    private static ByteBuffer finite(Scratch s, int n, String name, SafetensorsFile base, List<SafetensorsFile> fts) {
        float check = 0;
        for (int i = 0; i < n; i++) {
            check += s.sum[i] * 0f; // NaN or ±Inf anywhere makes the sum NaN
        }
        if (check != 0f) {
            List<SafetensorsFile> all = new java.util.ArrayList<>(fts);
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
                    throw new TauLabException("tensor '" + name + "' in " + f.path().getFileName() + " contains " + bad);
                }
            }
            throw new TauLabException("the merge of tensor '" + name + "' overflows float32");
        }
        ByteBuffer out = s.out;
        out.clear().limit(4 * n);
        out.asFloatBuffer().put(s.sum, 0, n);
        return out;
    }
}
