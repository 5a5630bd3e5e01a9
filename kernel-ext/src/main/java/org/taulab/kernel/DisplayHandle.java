package org.taulab.kernel;

/**
 * What {@link Notebook#display} returns: the display's id, so that the value shown can be replaced in place while
 * the cell runs ({@code var d = display(table); … d.update(newTable);} or {@code updateDisplay(d, newTable)}, as
 * jjava's {@code updateDisplay(id, …)}). A cell whose value is a handle shows nothing more.
 */
public record DisplayHandle(String id) {
    /** Replaces what this display shows with {@code value}, rendered as a cell's result is. */
    public void update(Object value) {
        Notebook.updateDisplay(this, value);
    }

    @Override
    public String toString() {
        return id;
    }
}
