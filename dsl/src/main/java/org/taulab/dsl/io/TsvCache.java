package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small key → value file in the user's cache folder ({@code $XDG_CACHE_HOME/taulab/NAME}, else
 * {@code ~/.cache/taulab/NAME}; the system property {@code taulab.cache} names another folder): one
 * {@code key<TAB>value} line per entry, the newest {@code maxEntries} kept, rewritten atomically. A cache is an
 * optimization only: a damaged or unwritable file reads as empty and costs only the work it would have saved.
 */
public final class TsvCache {
    private final String name;
    private final int maxEntries;

    public TsvCache(String name, int maxEntries) {
        this.name = name;
        this.maxEntries = maxEntries;
    }

    /** Where the cache lives now (looked up on each use: the environment of a test or a session may change it). */
    public Path file() {
        return folder().resolve(name);
    }

    private static Path folder() {
        String own = System.getProperty("taulab.cache");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("taulab");
    }

    /** The value stored under {@code key}, or null. */
    public String get(String key) {
        return read(file()).get(key);
    }

    /** Stores {@code value} under {@code key} (neither may hold a tab or a line break). */
    public synchronized void put(String key, String value) {
        if (key.matches("(?s).*[\t\n\r].*") || value.matches("(?s).*[\t\n\r].*")) {
            throw new IllegalArgumentException("cache keys and values are single tab-free lines");
        }
        Path file = file();
        try {
            Files.createDirectories(file.getParent());
            Map<String, String> entries = read(file);
            entries.remove(key);
            entries.put(key, value);
            List<String> lines = entries.entrySet().stream().skip(Math.max(0, entries.size() - maxEntries))
                    .map(e -> e.getKey() + "\t" + e.getValue()).toList();
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // an optimization only
        }
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> entries = new LinkedHashMap<>();
        try {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int tab = line.lastIndexOf('\t');
                    if (tab > 0) {
                        entries.put(line.substring(0, tab), line.substring(tab + 1));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            entries.clear();
        }
        return entries;
    }
}
