package org.taulab.repro;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * What one experiment produced, in the order it is shown: Tablesaw tables, XChart charts, the papers'
 * claims checked against our numbers, and notes. A notebook cell ({@code %reproduce NAME}) shows each item.
 */
public final class Report {
    private final String name;
    private final List<Object> items = new ArrayList<>();

    public Report(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Report add(Object item) {
        if (!(item instanceof Table || item instanceof Chart<?, ?> || item instanceof Claim || item instanceof Note)) {
            throw new IllegalArgumentException("a report holds tables, charts, claims and notes, not " + item.getClass().getName());
        }
        items.add(item instanceof Claim c && c.source().isEmpty() ? c.from(name) : item);
        return this;
    }

    public Report note(String text) {
        return add(Note.text(text));
    }

    public List<Object> items() {
        return Collections.unmodifiableList(items);
    }

    public List<Claim> claims() {
        return items.stream().filter(Claim.class::isInstance).map(Claim.class::cast).toList();
    }

    public List<Table> tables() {
        return items.stream().filter(Table.class::isInstance).map(Table.class::cast).toList();
    }

    public List<Chart<?, ?>> charts() {
        List<Chart<?, ?>> out = new ArrayList<>();
        items.forEach(i -> {
            if (i instanceof Chart<?, ?> c) {
                out.add(c);
            }
        });
        return out;
    }

    /**
     * A notebook's closing table: every claim of its other experiments (run in {@code context}, so memoized results
     * are reused), under the caption "every claim of the {@code paper} notebook — reproduced N of M".
     */
    public static Report summary(List<Experiment> notebook, String reportName, String paper, ReproContext context) {
        List<Claim> claims = new ArrayList<>();
        for (Experiment e : notebook) {
            if (!e.name().equals(reportName)) {
                claims.addAll(e.run(context).claims());
            }
        }
        return new Report(reportName).add(Claims.table("every claim of the " + paper + " notebook — " + Claims.summary(claims), claims));
    }

    @Override
    public String toString() {
        return "report " + name + ": " + tables().size() + " tables, " + charts().size() + " charts, " + claims().size() + " claims";
    }
}
