package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the sha256 of large input files, keyed by path, size, modification and status-change times (ctime,
 * which no user can set back, so a file edited in place with its size and mtime restored still misses) and file
 * key (inode), as git's index does: merging the same checkpoints again (a λ sweep from the shell) need not re-hash
 * gigabytes. Lives in {@code $XDG_CACHE_HOME/taulab/sha256.tsv} (or {@code ~/.cache}); a changed file
 * misses the cache, and a damaged or unwritable cache only costs the hashing.
 */
public final class HashCache {
    private static final int MAX_ENTRIES = 2000;

    private HashCache() {
    }

    public static String sha256(Path file) {
        String key = key(file);
        Path cache = cacheFile();
        if (key != null && cache != null) {
            String hit = read(cache).get(key);
            if (hit != null && hit.length() == Sha256.HEX_LENGTH) {
                return hit;
            }
        }
        String sha = Sha256.of(file);
        if (key != null && cache != null && key.equals(key(file))) {
            store(cache, key, sha);
        }
        return sha;
    }

    private static String key(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return file.toAbsolutePath().normalize() + "|" + a.size() + "|" + a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)
                    + "|" + ctime(file) + "|" + a.fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The status-change time in nanoseconds where the file system tells it ("unix" view), else "-". */
    private static String ctime(Path file) {
        try {
            Object t = Files.getAttribute(file, "unix:ctime");
            return t instanceof java.nio.file.attribute.FileTime f ? String.valueOf(f.to(java.util.concurrent.TimeUnit.NANOSECONDS)) : "-";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "-";
        }
    }

    private static Path cacheFile() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("taulab").resolve("sha256.tsv");
    }

    private static Map<String, String> read(Path cache) {
        Map<String, String> entries = new LinkedHashMap<>();
        try {
            if (Files.isRegularFile(cache)) {
                for (String line : Files.readAllLines(cache, StandardCharsets.UTF_8)) {
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

    private static synchronized void store(Path cache, String key, String sha) {
        try {
            Files.createDirectories(cache.getParent());
            Map<String, String> entries = read(cache);
            entries.remove(key);
            entries.put(key, sha);
            List<String> lines = entries.entrySet().stream().skip(Math.max(0, entries.size() - MAX_ENTRIES))
                    .map(e -> e.getKey() + "\t" + e.getValue()).toList();
            Path tmp = Files.createTempFile(cache.getParent(), "sha256", ".partial");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // the cache is an optimization only
        }
    }
}
