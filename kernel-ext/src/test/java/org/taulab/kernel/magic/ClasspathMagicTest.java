package org.taulab.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;

class ClasspathMagicTest {
    @TempDir
    Path dir;

    @Test
    void jarsAndFoldersAreTakenAndAnythingElseIsRefusedByName() throws Exception {
        Path jar = dir.resolve("lib.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.zip.ZipEntry("x/Hello.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
        }
        assertDoesNotThrow(() -> BuiltinMagics.requireJarOrFolder(jar));
        assertDoesNotThrow(() -> BuiltinMagics.requireJarOrFolder(dir));

        Path text = Files.writeString(dir.resolve("notes.jar"), "not a jar at all");
        TauLabException e = assertThrows(TauLabException.class, () -> BuiltinMagics.requireJarOrFolder(text));
        assertEquals("%classpath: " + text + " is neither a jar nor a folder", e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.jar"));
        assertThrows(TauLabException.class, () -> BuiltinMagics.requireJarOrFolder(empty));
        TauLabException missing = assertThrows(TauLabException.class, () -> BuiltinMagics.requireJarOrFolder(dir.resolve("gone.jar")));
        assertEquals("%classpath: no such file or folder " + dir.resolve("gone.jar"), missing.getMessage());
    }
}
