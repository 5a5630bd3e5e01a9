package org.taulab.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

/** The inputs (and text outputs) of this kernel session's cells, for history requests. */
final class SessionHistory implements HistoryManager {
    static final int SESSION = 1;

    private record Cell(int number, String input, String output) { }

    private final List<Cell> cells = new ArrayList<>();

    synchronized void record(int number, String input, String output) {
        cells.add(new Cell(number, input, output));
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        return entries(cells.subList(Math.max(0, cells.size() - length), cells.size()), flags);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        List<Cell> range = new ArrayList<>();
        for (Cell c : cells) {
            if (c.number() >= start && c.number() < stop) {
                range.add(c);
            }
        }
        return entries(range, flags);
    }

    /** Cells whose input matches the glob {@code pattern} ({@code *} and {@code ?}), newest last. */
    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        Pattern glob = Pattern.compile(pattern.replace("\\", "\\\\").replace(".", "\\.").replace("*", ".*").replace("?", "."), Pattern.DOTALL);
        List<Cell> found = new ArrayList<>();
        for (Cell c : cells) {
            if (glob.matcher(c.input()).matches()) {
                found.add(c);
            }
        }
        if (flags.contains(ResultFlag.UNIQUE)) {
            Map<String, Cell> newest = new LinkedHashMap<>();
            found.forEach(c -> {
                newest.remove(c.input());
                newest.put(c.input(), c);
            });
            found = new ArrayList<>(newest.values());
        }
        if (length > 0 && found.size() > length) {
            found = found.subList(found.size() - length, found.size());
        }
        return entries(found, flags);
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean output = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : cells) {
            out.add(new HistoryEntry(SESSION, c.number(), c.input(), output ? (c.output() == null ? "" : c.output()) : null));
        }
        return out;
    }
}
