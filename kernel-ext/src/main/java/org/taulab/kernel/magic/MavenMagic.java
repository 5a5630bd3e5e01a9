package org.taulab.kernel.magic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.taulab.dsl.TauLabException;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code %maven group:artifact:version [...] [--repo URL ...]}: resolves the artifacts and their runtime
 * dependencies with Maven (which TauLab's build needs anyway, so its local repository and settings are the user's
 * own), copies the jars into a folder of the user cache named by the request, and adds them to the session's class
 * path; the next cell can use their classes. Repositories given with {@code --repo} are searched besides Maven
 * Central (a {@code file://} URL works for a local one).
 */
final class MavenMagic implements Magics.LineMagic {
    private static final Pattern COORDINATE = Pattern.compile("[A-Za-z0-9_.\\-]+:[A-Za-z0-9_.\\-]+(:[A-Za-z0-9_.\\-]+){1,3}");
    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.7.1:copy-dependencies";

    private final MagicHost host;
    private final Path cache;

    MavenMagic(MagicHost host, Path cache) {
        this.host = host;
        this.cache = cache;
    }

    @Override
    public Object run(String args) throws Exception {
        List<String> coordinates = new ArrayList<>();
        List<String> repos = new ArrayList<>();
        String[] words = args.trim().isEmpty() ? new String[0] : args.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("--repo")) {
                if (i + 1 == words.length) {
                    throw new TauLabException("%maven: --repo needs a URL");
                }
                repos.add(words[++i]);
            } else if (COORDINATE.matcher(words[i]).matches()) {
                coordinates.add(words[i]);
            } else {
                throw new TauLabException("%maven: '" + words[i] + "' is not group:artifact:version (or group:artifact:type:version)");
            }
        }
        if (coordinates.isEmpty()) {
            throw new TauLabException("%maven: name at least one group:artifact:version");
        }
        Path dir = cache.resolve(Integer.toHexString(String.join(" ", words).hashCode()));
        Path lib = dir.resolve("lib");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pom.xml"), pom(coordinates, repos), StandardCharsets.UTF_8);
        resolve(dir, lib);
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
        StringColumn added = StringColumn.create("added to the class path");
        for (Path jar : jars) {
            host.session().addToClasspath(jar.toString());
            added.append(jar.getFileName().toString());
        }
        return Table.create("%maven " + String.join(" ", coordinates), added);
    }

    private void resolve(Path dir, Path lib) throws IOException, InterruptedException {
        Path log = dir.resolve("maven.log");
        Process p = new ProcessBuilder("mvn", "-B", "-q", DEPENDENCY_PLUGIN, "-DoutputDirectory=" + lib, "-DincludeScope=runtime")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        host.setRunningProcess(p);
        int status;
        try {
            status = p.waitFor();
        } finally {
            host.setRunningProcess(null);
        }
        if (status != 0) {
            String why = Files.readAllLines(log).stream().filter(l -> l.contains("ERROR")).findFirst()
                    .orElse("exit status " + status).replaceFirst("^\\[ERROR\\]\\s*", "");
            throw new TauLabException("%maven: could not resolve (" + why + "; Maven's output: " + log + ")");
        }
    }

    /** A POM whose dependencies are the coordinates (group:artifact:version or group:artifact:type:version). */
    static String pom(List<String> coordinates, List<String> repos) {
        StringBuilder b = new StringBuilder("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>taulab.notebook</groupId><artifactId>maven-magic</artifactId><version>1</version><packaging>pom</packaging>\n"
                + "  <dependencies>\n");
        for (String c : coordinates) {
            String[] f = c.split(":");
            String type = f.length == 4 ? f[2] : f.length == 5 ? f[2] : "jar";
            String version = f[f.length - 1];
            String classifier = f.length == 5 ? "<classifier>" + xml(f[3]) + "</classifier>" : "";
            b.append("    <dependency><groupId>").append(xml(f[0])).append("</groupId><artifactId>").append(xml(f[1]))
                    .append("</artifactId><version>").append(xml(version)).append("</version><type>").append(xml(type)).append("</type>")
                    .append(classifier).append("</dependency>\n");
        }
        b.append("  </dependencies>\n  <repositories>\n");
        for (int i = 0; i < repos.size(); i++) {
            b.append("    <repository><id>notebook-").append(i).append("</id><url>").append(xml(repos.get(i))).append("</url></repository>\n");
        }
        return b.append("  </repositories>\n</project>\n").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
