package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed fuzz seeds are on the test class path, where Jazzer looks, and match the generator. */
class SeedCorpusTest {
    @Test
    void committedSeedsMatchTheGenerator() throws IOException {
        Map<String, byte[]> seeds = SeedCorpusGenerator.seeds();
        assertTrue(seeds.size() >= 25, "only " + seeds.size() + " seeds");
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            String resource = "SafetensorsFuzzTestInputs/loadArbitraryBytes/" + seed.getKey();
            try (InputStream in = SeedCorpusTest.class.getResourceAsStream(resource)) {
                assertNotNull(in, resource + " is missing: run SeedCorpusGenerator (see its comment)");
                assertArrayEquals(seed.getValue(), in.readAllBytes(), resource + " is stale: run SeedCorpusGenerator");
            }
        }
    }
}
