package org.taulab.kernel.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;
import org.taulab.dsl.tensor.StateDict;
import org.taulab.repro.Claim;
import org.taulab.repro.Note;
import tech.tablesaw.api.Table;

/** Registers TauLab's renderers and renders values so that a failing renderer falls back to text. */
public final class Renderers {
    private Renderers() {
    }

    public static void registerAll(Renderer renderer) {
        renderer.createRegistration(Table.class).preferring(MIMEType.TEXT_HTML).register((table, ctx) -> {
            ctx.getOutputContainer().putHTML(TableRenderer.html(table));
            ctx.getOutputContainer().putText(TableRenderer.text(table));
        });
        renderer.createRegistration(Chart.class).preferring(MIMEType.IMAGE_PNG).register((chart, ctx) -> {
            ctx.getOutputContainer().putData(MIMEType.IMAGE_PNG, ChartRenderer.png((Chart<?, ?>) chart));
            ctx.getOutputContainer().putText(chart.getClass().getSimpleName() + " \"" + ((Chart<?, ?>) chart).getTitle() + "\"");
        });
        renderer.createRegistration(org.taulab.dsl.learn.LearnResult.class).preferring(MIMEType.TEXT_HTML).register((result, ctx) -> {
            ctx.getOutputContainer().putText(result.toString());
            ctx.getOutputContainer().putHTML(LearnResultRenderer.html(result));
        });
        renderer.createRegistration(Claim.class).preferring(MIMEType.TEXT_HTML).register((claim, ctx) -> {
            ctx.getOutputContainer().putHTML(ClaimRenderer.html(claim));
            ctx.getOutputContainer().putText(ClaimRenderer.text(claim));
            ctx.getOutputContainer().putData(Claim.MIME_TYPE, claim.toJson());
        });
        renderer.createRegistration(Note.class).preferring(MIMEType.TEXT_HTML).register((note, ctx) -> {
            ctx.getOutputContainer().putHTML(note.html());
            ctx.getOutputContainer().putText(note.text());
        });
        renderer.createRegistration(StateDict.class).preferring(MIMEType.TEXT_HTML).register((dict, ctx) -> {
            ctx.getOutputContainer().putText(dict.toString());
            ctx.getOutputContainer().putHTML(StateDictRenderer.html(dict));
        });
    }

    /** {@code value} rendered; if its renderer fails, its text (or at least its class) instead. */
    public static DisplayData render(Renderer renderer, Object value) {
        if (value instanceof DisplayData d) {
            return d;
        }
        if (value != null && value.getClass().isArray()) {
            return new DisplayData(ArrayText.of(value));
        }
        try {
            return renderer.render(value);
        } catch (RuntimeException | LinkageError e) {
            return new DisplayData(text(value) + "\n(rich display failed: " + e + ")");
        }
    }

    private static String text(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException e) {
            return value.getClass().getName();
        }
    }
}
