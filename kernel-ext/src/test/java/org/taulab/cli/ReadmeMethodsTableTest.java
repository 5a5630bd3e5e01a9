package org.taulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.merge.MergeCatalogue;

/** The README's methods table is the catalogue's, so a new merge cannot be missing from it. */
class ReadmeMethodsTableTest {
    @Test
    void readmeTableIsTheCataloguesTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int begin = readme.indexOf("<!-- merges:begin");
        int end = readme.indexOf("<!-- merges:end -->");
        assertTrue(begin >= 0 && end > begin, "README.md lacks the merges:begin / merges:end markers");
        String table = readme.substring(readme.indexOf('\n', begin) + 1, end);
        assertEquals(MergeCatalogue.markdownTable(), table, "regenerate with: bin/taulab merge --list --format markdown");
    }
}
