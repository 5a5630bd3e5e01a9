package org.taulab.dsl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.manifest.BenchmarkManifest;
import org.taulab.dsl.data.manifest.DatasetManifest;
import org.taulab.dsl.data.manifest.FileSpec;
import org.taulab.dsl.data.manifest.FileVerifier;
import org.taulab.dsl.data.manifest.Manifests;

class ManifestTest {
    @TempDir
    Path dir;

    @Test
    void committedManifestsParseAndDescribeEightTasksFromThreeDomains() {
        BenchmarkManifest m = Manifests.benchmark("mini8");
        assertEquals(8, m.tasks().size());
        assertEquals(3, m.tasks().stream().map(t -> t.dataset()).distinct().count());
        DatasetManifest fashion = Manifests.dataset("fashion-mnist");
        assertEquals(10, fashion.classes().size());
        assertEquals("dataset-fashion-mnist", fashion.file("train-images").debianPackage());
        assertEquals(30, Manifests.dataset("glyphs").files().size());
    }

    @Test
    void missingFileSaysWhichPackageToInstall() {
        FileSpec f = new FileSpec("all", dir.resolve("nope.gz").toString(), "dataset-fashion-mnist", 10L, null, null, null, null);
        TauLabException e = assertThrows(TauLabException.class, () -> FileVerifier.verify(f, "fashion-mnist"));
        assertTrue(e.getMessage().contains("nope.gz") && e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void sizeAndHashMismatchesAreErrorsUnlessLenient() throws Exception {
        Path p = dir.resolve("x.bin");
        Files.write(p, new byte[] {1, 2, 3});
        FileSpec wrongSize = new FileSpec("all", p.toString(), "pkg", 4L, null, null, null, null);
        assertTrue(assertThrows(TauLabException.class, () -> FileVerifier.verify(wrongSize, "d")).getMessage().contains("size 3"));
        FileSpec wrongHash = new FileSpec("all", p.toString(), "pkg", 3L, "00", null, null, null);
        assertTrue(assertThrows(TauLabException.class, () -> FileVerifier.verify(wrongHash, "d")).getMessage().contains("sha256"));
        Path q = dir.resolve("y.bin");
        Files.write(q, new byte[] {1});
        FileSpec lenient = new FileSpec("all", q.toString(), "pkg", 1L, "00", "warn", null, null);
        assertEquals(q, FileVerifier.verify(lenient, "d"));
    }

    @Test
    void unknownManifestAndTypoAreOneLineErrors() throws Exception {
        assertTrue(assertThrows(TauLabException.class, () -> Manifests.benchmark("nonesuch")).getMessage().contains("unknown benchmark"));
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: x\nkind: benchmark\nsplit_seeed: 3\n");
        TauLabException e = assertThrows(TauLabException.class, () -> Manifests.read(bad, BenchmarkManifest.class, "benchmark x"));
        assertTrue(e.getMessage().contains("split_seeed") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
