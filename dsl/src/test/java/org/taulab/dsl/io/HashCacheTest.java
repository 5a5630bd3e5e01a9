package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sha256 cache never answers for a file that changed, even when its size and mtime were put back. */
class HashCacheTest {
    @TempDir
    Path dir;

    @Test
    void anInPlaceEditWithSizeAndMtimeRestoredIsRehashed() throws Exception {
        String home = System.getProperty("user.home");
        System.setProperty("user.home", dir.resolve("home").toString());
        try {
            Path f = dir.resolve("model.safetensors");
            Files.write(f, new byte[] {1, 2, 3, 4});
            FileTime mtime = Files.getLastModifiedTime(f);
            String first = HashCache.sha256(f);
            assertEquals(Sha256.of(f), first);
            assertEquals(first, HashCache.sha256(f), "unchanged file: the cached value");
            Thread.sleep(5);
            Files.write(f, new byte[] {9, 9, 9, 9}, StandardOpenOption.WRITE);
            Files.setLastModifiedTime(f, mtime);
            String second = HashCache.sha256(f);
            assertNotEquals(first, second, "a stale hash was served");
            assertEquals(Sha256.of(f), second);
        } finally {
            System.setProperty("user.home", home);
        }
    }
}
