package org.taulab.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.taulab.dsl.Progress;
import org.taulab.kernel.progress.NotebookProgress;
import org.taulab.kernel.render.Renderers;

/** Notebook helpers, imported statically in every TauLab notebook. */
public final class Notebook {
    private Notebook() {
    }

    /**
     * Shows {@code value} in the cell's output now (as the kernel renders a cell's result); the handle replaces it in
     * place later ({@link #updateDisplay}).
     */
    public static DisplayHandle display(Object value) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        DisplayData data = new DisplayData(Renderers.render(kernel.getRenderer(), value));
        DisplayHandle handle = new DisplayHandle(java.util.UUID.randomUUID().toString());
        data.setDisplayId(handle.id());
        kernel.display(data);
        return handle;
    }

    /** Replaces what display {@code handle} shows with {@code value}. */
    public static void updateDisplay(DisplayHandle handle, Object value) {
        updateDisplay(handle.id(), value);
    }

    /** Replaces what the display with id {@code id} shows with {@code value} (jjava's spelling). */
    public static void updateDisplay(String id, Object value) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        if (kernel instanceof TauLabKernel k) {
            k.drainOutput();
        }
        kernel.getIO().display.updateDisplay(id, new DisplayData(Renderers.render(kernel.getRenderer(), value)));
    }

    /** Shows HTML. */
    public static void html(String html) {
        DisplayData data = new DisplayData(html.replaceAll("<[^>]*>", ""));
        data.putHTML(html);
        BaseKernel.notebookKernel().display(data);
    }

    /** A progress bar in this cell's output, for DSL methods that report {@link Progress}. */
    public static Progress progress() {
        BaseKernel kernel = BaseKernel.notebookKernel();
        return new NotebookProgress(new NotebookProgress.Sink() {
            @Override
            public void show(DisplayData data) {
                kernel.display(data);
            }

            @Override
            public void update(DisplayData data) {
                if (kernel instanceof TauLabKernel k) {
                    k.drainOutput();
                }
                kernel.getIO().display.updateDisplay(data);
            }
        });
    }

    /** Clears this cell's output. */
    public static void clearOutput() {
        if (BaseKernel.notebookKernel() instanceof TauLabKernel k) {
            k.publish(PublishClearOutput.NOW);
        }
    }
}
