package org.taulab.kernel.render;

import java.util.List;
import java.util.Map;
import org.taulab.dsl.tensor.StateDict;
import org.taulab.dsl.tensor.TensorEntry;

/**
 * Weights and task vectors as a compact HTML summary: kind, label, tensor and parameter counts, then
 * one row per tensor (name, dtype, shape, L2 norm); rows beyond the first {@link #OPEN_ROWS} are
 * collapsed.
 */
public final class StateDictRenderer {
    static final int OPEN_ROWS = 20;

    private StateDictRenderer() {
    }

    public static String html(StateDict dict) {
        Map<String, Double> norms = dict.tensorNorms();
        List<TensorEntry> entries = List.copyOf(dict.entries().values());
        StringBuilder b = new StringBuilder("<div class=\"taulab-statedict\"><b>").append(dict.getClass().getSimpleName())
                .append("</b> <code>").append(Html.escape(dict.label())).append("</code>: ")
                .append(entries.size()).append(" tensors, ").append(String.format("%,d", dict.parameterCount()))
                .append(" float parameters, ‖·‖ = ").append(String.format("%.4g", dict.norm()));
        b.append(table(entries.subList(0, Math.min(OPEN_ROWS, entries.size())), norms));
        if (entries.size() > OPEN_ROWS) {
            b.append("<details><summary>").append(entries.size() - OPEN_ROWS).append(" more tensors</summary>")
                    .append(table(entries.subList(OPEN_ROWS, entries.size()), norms)).append("</details>");
        }
        return b.append("</div>").toString();
    }

    private static String table(List<TensorEntry> entries, Map<String, Double> norms) {
        StringBuilder b = new StringBuilder("<table style=\"font-family:monospace;font-size:12px\">"
                + "<tr><th style=\"text-align:left\">tensor</th><th>dtype</th><th>shape</th><th>norm</th></tr>");
        for (TensorEntry e : entries) {
            Double norm = norms.get(e.name());
            b.append("<tr><td style=\"text-align:left\">").append(Html.escape(e.name())).append("</td><td>").append(e.dtype())
                    .append("</td><td>").append(Html.escape(e.shapeString())).append("</td><td>")
                    .append(norm == null ? "—" : String.format("%.4g", norm)).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }
}
