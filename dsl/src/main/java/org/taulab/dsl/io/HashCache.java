package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Remembers the sha256 of large input files, keyed by path, size, modification and status-change times (ctime,
 * which no user can set back, so a file edited in place with its size and mtime restored still misses) and file
 * key (inode), as git's index does: merging the same checkpoints again (a λ sweep from the shell) need not re-hash
 * gigabytes. Lives in the {@link TsvCache} {@code sha256.tsv}; a changed file misses the cache, and a damaged or
 * unwritable cache only costs the hashing.
 */
public final class HashCache {
    private static final TsvCache CACHE = new TsvCache("sha256.tsv", 2000);

    private HashCache() {
    }

    public static String sha256(Path file) {
        String key = key(file);
        if (key != null) {
            String hit = CACHE.get(key);
            if (hit != null && hit.length() == Sha256.HEX_LENGTH) {
                return hit;
            }
        }
        String sha = Sha256.of(file);
        if (key != null && key.equals(key(file))) {
            CACHE.put(key, sha);
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

}
