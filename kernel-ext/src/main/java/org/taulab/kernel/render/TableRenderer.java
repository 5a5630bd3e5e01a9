package org.taulab.kernel.render;

import tech.tablesaw.api.Table;

/**
 * A Tablesaw table as a styled HTML table and as text. Long tables show their first rows and say how
 * many more there are.
 */
public final class TableRenderer {
    /** Tables up to this many rows are shown whole. */
    static final int MAX_ROWS = 50;
    /** Rows shown of a longer table. */
    static final int SHOWN_ROWS = 20;

    private TableRenderer() {
    }

    public static String html(Table table) {
        int shown = table.rowCount() > MAX_ROWS ? SHOWN_ROWS : table.rowCount();
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"taulab-table\"><style>")
                .append(".taulab-table table{border-collapse:collapse;font-family:monospace;font-size:12px}")
                .append(".taulab-table th{background:#eef2f7;text-align:left;padding:3px 8px;border-bottom:1px solid #99a}")
                .append(".taulab-table td{padding:2px 8px;border-bottom:1px solid #e4e4e4;text-align:right}")
                .append(".taulab-table td.t{text-align:left}.taulab-table caption{text-align:left;font-weight:bold}")
                .append("</style><table>");
        if (table.name() != null && !table.name().isBlank()) {
            b.append("<caption>").append(Html.escape(table.name())).append("</caption>");
        }
        b.append("<thead><tr>");
        for (String name : table.columnNames()) {
            b.append("<th>").append(Html.escape(name)).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (int r = 0; r < shown; r++) {
            b.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                boolean numeric = table.column(c).type().name().matches("DOUBLE|FLOAT|INTEGER|LONG|SHORT");
                b.append(numeric ? "<td>" : "<td class=\"t\">").append(Html.escape(table.getString(r, c))).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        if (shown < table.rowCount()) {
            b.append("<p>… ").append(table.rowCount() - shown).append(" more rows (").append(table.rowCount())
                    .append(" rows × ").append(table.columnCount()).append(" columns)</p>");
        }
        return b.append("</div>").toString();
    }

    public static String text(Table table) {
        if (table.rowCount() <= MAX_ROWS) {
            return table.printAll();
        }
        return table.first(SHOWN_ROWS).printAll() + "\n… " + (table.rowCount() - SHOWN_ROWS) + " more rows";
    }
}
