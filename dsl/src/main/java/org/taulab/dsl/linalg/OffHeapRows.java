package org.taulab.dsl.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A row-major matrix off the heap that grows by appending rows, in float or double, so that BLAS reads all of
 * it in one call where it is used (a Java array passed to BLAS is copied in and out on every call). Its memory
 * is kept from one use to the next ({@link #reset}) and grows by doubling.
 */
final class OffHeapRows {
    private final boolean doubles;
    private Pointer data;
    private long capacity;
    private int rowLength;
    private int rows;
    /** The float rows widened to double on their way into a double buffer, reused from one append to the next. */
    private double[] widened;

    OffHeapRows(boolean doubles) {
        this.doubles = doubles;
    }

    /** Empties it for rows of {@code rowLength}, with room for {@code expectedRows} before it grows. */
    void reset(int rowLength, int expectedRows) {
        this.rowLength = rowLength;
        this.rows = 0;
        ensure((long) rowLength * expectedRows);
    }

    int rows() {
        return rows;
    }

    /** Elements held at most without growing. */
    long capacity() {
        return capacity;
    }

    /**
     * Appends the c columns of a row-major {@code rowLength × c} block as c new rows (the block's transpose).
     */
    void appendColumnsOf(float[] block, int c) {
        appendRows(KrylovBasis.transpose(block, rowLength, c), c);
    }

    /** Appends c rows given row-major ({@code c × rowLength}), widened to double when this holds doubles. */
    void appendRows(float[] rowsToAdd, int c) {
        long at = (long) rows * rowLength;
        int size = c * rowLength;
        ensure(at + size);
        if (doubles) {
            if (widened == null || widened.length < size) {
                widened = new double[size];
            }
            double[] wide = widened;
            for (int i = 0; i < size; i++) {
                wide[i] = rowsToAdd[i];
            }
            ((DoublePointer) data).getPointer(at).put(wide, 0, size);
        } else {
            ((FloatPointer) data).getPointer(at).put(rowsToAdd, 0, size);
        }
        rows += c;
    }

    FloatPointer floats() {
        return (FloatPointer) data;
    }

    DoublePointer doubles() {
        return (DoublePointer) data;
    }

    /** A view of the rows from {@code row} on (shares the memory; valid until the next append or reset). */
    DoublePointer doublesFromRow(int row) {
        return ((DoublePointer) data).getPointer((long) row * rowLength);
    }

    private void ensure(long elements) {
        if (elements <= capacity) {
            return;
        }
        long grown = Math.max(elements, 2 * capacity);
        Pointer fresh = doubles ? new DoublePointer(grown) : new FloatPointer(grown);
        int size = doubles ? Double.BYTES : Float.BYTES;
        long used = (long) rows * rowLength;
        if (data != null) {
            if (used > 0) {
                Pointer.memcpy(fresh, data, used * size);
            }
            data.close();
        }
        data = fresh;
        capacity = grown;
    }

    void free() {
        if (data != null) {
            data.close();
            data = null;
        }
        capacity = 0;
        rows = 0;
        widened = null;
    }
}
