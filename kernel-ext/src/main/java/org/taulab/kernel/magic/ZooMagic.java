package org.taulab.kernel.magic;

import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.zoo.Zoo;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code %zoo [NAME]}: loads a zoo into the session — {@code zoo}, {@code pre} (also the session's base for
 * {@code tau(ft)}), {@code fts} (fine-tuned encoders in task order), {@code ft} (by task name) and
 * {@code tasks} — and shows a summary with the accuracies measured when the zoo was built.
 */
final class ZooMagic implements Magics.LineMagic {
    private final MagicHost host;

    ZooMagic(MagicHost host) {
        this.host = host;
    }

    @Override
    public Object run(String args) {
        String name = args.isBlank() ? Zoo.DEFAULT : args.strip();
        if (!name.matches("[A-Za-z0-9_./-]+")) {
            throw new TauLabException("%zoo: '" + name + "' is not a zoo name or directory");
        }
        Zoo zoo = Zoo.open(name);
        String q = "\"" + name + "\"";
        host.runCell(String.join("\n",
                "org.taulab.dsl.zoo.Zoo zoo = org.taulab.dsl.zoo.Zoo.open(" + q + ");",
                "Weights pre = base(zoo.pretrained());",
                "List<String> tasks = zoo.tasks();",
                "Map<String, Weights> ft = zoo.finetuned();",
                "List<Weights> fts = new ArrayList<>(ft.values());"));
        return summary(zoo);
    }

    @SuppressWarnings("unchecked")
    static Table summary(Zoo zoo) {
        StringColumn task = StringColumn.create("task");
        DoubleColumn pretrained = DoubleColumn.create("pretrained (test %)");
        DoubleColumn individual = DoubleColumn.create("fine-tuned (test %)");
        Object perTask = zoo.manifest().measured() == null ? null : zoo.manifest().measured().get("tasks");
        for (String t : zoo.tasks()) {
            task.append(t);
            Map<String, Object> m = perTask instanceof Map<?, ?> all ? (Map<String, Object>) all.get(t) : null;
            append(pretrained, m == null ? null : m.get("pretrained"));
            append(individual, m == null ? null : m.get("individual"));
        }
        return Table.create("zoo " + zoo.name() + ": " + zoo.tasks().size() + " tasks in " + shown(zoo.dir())
                + " — bound: zoo, pre, fts, ft, tasks").addColumns(task, pretrained, individual);
    }

    /** A zoo folder inside the TauLab checkout as a path relative to it (notebooks' outputs hold no machine's paths). */
    static String shown(java.nio.file.Path dir) {
        java.nio.file.Path home = org.taulab.dsl.data.manifest.Manifests.home().toAbsolutePath().normalize();
        java.nio.file.Path d = dir.toAbsolutePath().normalize();
        return d.startsWith(home) ? home.relativize(d).toString() : d.toString();
    }

    private static void append(DoubleColumn c, Object v) {
        if (v instanceof Number n) {
            c.append(n.doubleValue());
        } else {
            c.appendMissing();
        }
    }
}
