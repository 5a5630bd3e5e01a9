package org.taulab.kernel.magic;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.taulab.dsl.TauLabException;

/**
 * The kernel's magics by name: line magics ({@code %name args}) and cell magics ({@code %%name args}
 * on a cell's first line, the rest of the cell as body). Other parts of TauLab register theirs here.
 */
public final class Magics {
    /** {@code %name args}: returns the value to show, or {@code JavaSession.NO_VALUE}. */
    @FunctionalInterface
    public interface LineMagic {
        Object run(String args) throws Exception;
    }

    /** {@code %%name args} + body. */
    @FunctionalInterface
    public interface CellMagic {
        Object run(String args, String body) throws Exception;
    }

    private record Entry<T>(T magic, String help) { }

    private final Map<String, Entry<LineMagic>> lines = new ConcurrentHashMap<>();
    private final Map<String, Entry<CellMagic>> cells = new ConcurrentHashMap<>();

    public void line(String name, String help, LineMagic magic) {
        lines.put(name, new Entry<>(magic, help));
    }

    public void cell(String name, String help, CellMagic magic) {
        cells.put(name, new Entry<>(magic, help));
    }

    public boolean hasLine(String name) {
        return lines.containsKey(name);
    }

    public Object runLine(String name, String args) throws Exception {
        Entry<LineMagic> e = lines.get(name);
        if (e == null) {
            throw new TauLabException("unknown line magic %" + name + " (%lsmagic lists them)");
        }
        return e.magic().run(args);
    }

    public Object runCell(String name, String args, String body) throws Exception {
        Entry<CellMagic> e = cells.get(name);
        if (e == null) {
            throw new TauLabException("unknown cell magic %%" + name + " (%lsmagic lists them)");
        }
        return e.magic().run(args, body);
    }

    public Set<String> lineNames() {
        return new TreeMap<>(lines).keySet();
    }

    public Set<String> cellNames() {
        return new TreeMap<>(cells).keySet();
    }

    /** One line per magic: {@code %name  help}. */
    public String describe() {
        StringBuilder b = new StringBuilder("Line magics:\n");
        new TreeMap<>(lines).forEach((n, e) -> b.append(String.format("  %%%-12s %s%n", n, e.help())));
        b.append("Cell magics:\n");
        new TreeMap<>(cells).forEach((n, e) -> b.append(String.format("  %%%%%-11s %s%n", n, e.help())));
        return b.toString();
    }
}
