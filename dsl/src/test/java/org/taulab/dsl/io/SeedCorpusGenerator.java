package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the seed corpus of {@link SafetensorsFuzzTest}: the hand-made valid and malformed files of
 * {@link SafetensorsSamples}, one file per sample, named after it. Plain Java, no JUnit; from the
 * repository root:
 * <pre>
 * mvn -o -q -pl dsl test-compile
 * java -cp dsl/target/test-classes org.taulab.dsl.io.SeedCorpusGenerator
 * </pre>
 * Files found by fuzzing ({@code crash-*}, {@code regression-*}) are added by hand and are never touched.
 * {@link SeedCorpusTest} fails when the committed corpus and this generator disagree.
 */
public final class SeedCorpusGenerator {
    public static final String DIRECTORY = "dsl/src/test/resources/org/taulab/dsl/io/SafetensorsFuzzTestInputs/loadArbitraryBytes";

    private SeedCorpusGenerator() {
    }

    public static Map<String, byte[]> seeds() {
        Map<String, byte[]> all = new LinkedHashMap<>(SafetensorsSamples.valid());
        all.putAll(SafetensorsSamples.malformed());
        return all;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : DIRECTORY);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
            Files.write(dir.resolve(seed.getKey()), seed.getValue());
        }
        System.out.println(seeds().size() + " seeds written to " + dir);
    }
}
