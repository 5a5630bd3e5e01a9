package org.taulab.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.kernel.TestSessions;

class AddedClasspathTest {
    @TempDir
    Path dir;

    /** Compiles {@code package p; public class Hello { static String hi() } } into {@code out}. */
    private Path compiled(String pkg, String greeting, Path out) throws Exception {
        Path src = dir.resolve("src-" + pkg).resolve(pkg).resolve("Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package " + pkg + ";\npublic class Hello { public static String hi() { return \"" + greeting + "\"; } }\n");
        Files.createDirectories(out);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), src.toString()));
        return out;
    }

    @Test
    void classesOfAnAddedJarOrFolderCompileInTheNextSnippet() throws Exception {
        Path folder = compiled("fromfolder", "from a folder", dir.resolve("classes"));
        Path jarClasses = compiled("fromjar", "from a jar", dir.resolve("jarclasses"));
        Path jar = dir.resolve("hello.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            Path cls = jarClasses.resolve("fromjar/Hello.class");
            out.putNextEntry(new java.util.jar.JarEntry("fromjar/Hello.class"));
            out.write(Files.readAllBytes(cls));
        }
        try (JavaSession session = TestSessions.start()) {
            session.addToClasspath(folder.toString());
            assertEquals("from a folder", session.eval("fromfolder.Hello.hi()"));
            session.addToClasspath(jar.toString());
            assertEquals("from a jar", session.eval("fromjar.Hello.hi()"));
            assertEquals("from a jar", session.eval("import fromjar.Hello;\nHello.hi()"));
        }
    }
}
