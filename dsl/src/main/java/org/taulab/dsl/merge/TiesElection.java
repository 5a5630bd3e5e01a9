package org.taulab.dsl.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.taulab.dsl.tensor.TensorCodec;

/**
 * TIES's elect-and-average on one tensor, chunk by chunk of its flattened entries: the elected sign of an entry is
 * the sign of the sum of the trimmed values (zero takes the scope's majority), the merged value is θ_pre + λ times
 * the mean of the trimmed values that agree with it (zero where none does). Peak memory is the trimmed pairs, θ_pre
 * and the result, whatever the number of tasks.
 */
final class TiesElection {
    private TiesElection() {
    }

    /** Σ over entries of the elected sign (before zeros take the majority): its sign is the tensor's majority sign. */
    static long signSum(List<TrimmedVector> trimmed, long n) {
        long total = 0;
        int[] cursor = new int[trimmed.size()];
        float[] sum = new float[(int) Math.min(n, Chunks.CHUNK)];
        for (long from = 0; from < n; from += Chunks.CHUNK) {
            int len = (int) Math.min(Chunks.CHUNK, n - from);
            sums(trimmed, cursor, from, len, sum);
            for (int i = 0; i < len; i++) {
                total += (long) Math.signum(sum[i]);
            }
        }
        return total;
    }

    /** θ_pre + λ · (mean of the agreeing trimmed values), owned by {@code m}, shaped like {@code pre}. */
    static NDArray merge(List<TrimmedVector> trimmed, float majority, double lambda, NDArray pre, NDManager m) {
        long n = pre.size();
        ByteBuffer storage = TensorCodec.pooledBuffer(Math.toIntExact(n * Float.BYTES));
        FloatBuffer out = storage.asFloatBuffer();
        float scale = (float) lambda;
        int[] cursor = new int[trimmed.size()];
        // one set of chunk arrays for the whole tensor (a language model's embedding is 63 chunks)
        int size = (int) Math.min(n, Chunks.CHUNK);
        float[] gamma = new float[size];
        float[] agreeing = new float[size];
        int[] count = new int[size];
        Chunks.forEach(pre, (p, from) -> {
            int len = p.length;
            int[] start = cursor.clone();
            sums(trimmed, cursor, from, len, gamma);
            for (int i = 0; i < len; i++) {
                float s = Math.signum(gamma[i]);
                gamma[i] = s == 0 ? majority : s;
            }
            Arrays.fill(agreeing, 0, len, 0f);
            Arrays.fill(count, 0, len, 0);
            for (int t = 0; t < trimmed.size(); t++) {
                TrimmedVector v = trimmed.get(t);
                for (int k = start[t]; k < cursor[t]; k++) {
                    int i = (int) (v.index[k] - from);
                    if (Math.signum(v.value[k]) == gamma[i]) {
                        agreeing[i] += v.value[k];
                        count[i]++;
                    }
                }
            }
            for (int i = 0; i < len; i++) {
                p[i] = Float.isNaN(gamma[i]) ? Float.NaN : agreeing[i] / Math.max(count[i], 1) * scale + p[i];
            }
            out.put((int) from, p, 0, len);
        });
        return TensorCodec.asStorage(m, storage, pre.getShape().getShape());
    }

    /** The sum of the trimmed values over entries [from, from + len) into {@code sum}, advancing each vector's cursor past them. */
    private static void sums(List<TrimmedVector> trimmed, int[] cursor, long from, int len, float[] sum) {
        Arrays.fill(sum, 0, len, 0f);
        long to = from + len;
        for (int t = 0; t < trimmed.size(); t++) {
            TrimmedVector v = trimmed.get(t);
            int k = cursor[t];
            while (k < v.index.length && v.index[k] < to) {
                sum[(int) (v.index[k] - from)] += v.value[k];
                k++;
            }
            cursor[t] = k;
        }
    }
}
