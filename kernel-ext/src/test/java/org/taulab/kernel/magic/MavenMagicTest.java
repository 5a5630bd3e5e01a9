package org.taulab.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.kernel.TestSessions;
import org.taulab.kernel.jshell.JavaSession;
import tech.tablesaw.api.Table;

class MavenMagicTest {
    private static final String GROUP = "org.taulab.mavenmagictest";

    @TempDir
    Path dir;

    /** A local repository holding greet 1.0, which depends on words 1.0 (greet's class calls words'). */
    private Path repository() throws Exception {
        Path repo = dir.resolve("repo");
        Path classes = dir.resolve("classes");
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("words"));
        Files.createDirectories(src.resolve("greet"));
        Files.writeString(src.resolve("words/Words.java"), "package words;\npublic class Words { public static String hello() { return \"hello\"; } }\n");
        Files.writeString(src.resolve("greet/Greet.java"), "package greet;\npublic class Greet { public static String hi(String who) { return words.Words.hello() + \", \" + who; } }\n");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.resolve("words/Words.java").toString(), src.resolve("greet/Greet.java").toString()));
        artifact(repo, "words", classes, "words/Words.class", "");
        artifact(repo, "greet", classes, "greet/Greet.class",
                "<dependencies><dependency><groupId>" + GROUP + "</groupId><artifactId>words</artifactId><version>1.0</version></dependency></dependencies>");
        return repo;
    }

    private static void artifact(Path repo, String name, Path classes, String entry, String dependencies) throws Exception {
        Path at = repo.resolve(GROUP.replace('.', '/')).resolve(name).resolve("1.0");
        Files.createDirectories(at);
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(at.resolve(name + "-1.0.jar")))) {
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
        }
        Files.writeString(at.resolve(name + "-1.0.pom"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>" + GROUP + "</groupId><artifactId>" + name + "</artifactId><version>1.0</version>" + dependencies + "</project>");
    }

    private static MagicHost host(JavaSession session) {
        return new MagicHost() {
            public JavaSession session() {
                return session;
            }

            public Object runCell(String source) {
                return session.eval(source);
            }

            public Magics magics() {
                return new Magics();
            }

            public void setRunningProcess(Process process) {
            }

            public void display(Object value) {
            }
        };
    }

    @Test
    void anArtifactAndItsDependencyFromARepositoryAreUsableInTheNextSnippet() throws Exception {
        Path repo = repository();
        try (JavaSession session = TestSessions.start()) {
            MavenMagic maven = new MavenMagic(host(session), dir.resolve("cache"));
            Table added = (Table) maven.run(GROUP + ":greet:1.0 --repo " + repo.toUri());
            assertEquals(List.of("greet-1.0.jar", "words-1.0.jar"), added.stringColumn(0).asList());
            assertEquals("hello, notebook", session.eval("greet.Greet.hi(\"notebook\")"));
        }
    }

    @Test
    void badRequestsAreOneLineErrors() {
        MavenMagic maven = new MavenMagic(host(null), dir.resolve("cache"));
        assertEquals("%maven: 'junit' is not group:artifact:version (or group:artifact:type:version)",
                assertThrows(TauLabException.class, () -> maven.run("junit")).getMessage());
        assertEquals("%maven: name at least one group:artifact:version", assertThrows(TauLabException.class, () -> maven.run("")).getMessage());
        assertEquals("%maven: --repo needs a URL", assertThrows(TauLabException.class, () -> maven.run("a:b:1 --repo")).getMessage());
    }

    @Test
    void aMissingArtifactSaysSoAndWhereMavensOutputIs() throws Exception {
        Path repo = repository();
        MavenMagic maven = new MavenMagic(host(null), dir.resolve("cache"));
        TauLabException e = assertThrows(TauLabException.class, () -> maven.run(GROUP + ":nosuch:1.0 --repo " + repo.toUri()));
        assertTrue(e.getMessage().startsWith("%maven: could not resolve (") && e.getMessage().contains("nosuch")
                && e.getMessage().endsWith("maven.log)"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void thePomNamesTypesClassifiersAndRepositories() {
        String pom = MavenMagic.pom(List.of("g:a:1", "g:b:zip:2", "g:c:jar:linux-x86_64:3"), List.of("file:///r"));
        assertTrue(pom.contains("<groupId>g</groupId><artifactId>a</artifactId><version>1</version><type>jar</type></dependency>"), pom);
        assertTrue(pom.contains("<artifactId>b</artifactId><version>2</version><type>zip</type></dependency>"), pom);
        assertTrue(pom.contains("<artifactId>c</artifactId><version>3</version><type>jar</type><classifier>linux-x86_64</classifier>"), pom);
        assertTrue(pom.contains("<url>file:///r</url>"), pom);
    }
}
