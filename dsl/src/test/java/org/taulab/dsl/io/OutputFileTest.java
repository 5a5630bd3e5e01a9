package org.taulab.dsl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/** Outputs replace only regular files, and no temporary outlives its writer. */
class OutputFileTest {
    @TempDir
    Path dir;

    private static Weights tiny() {
        return new Weights(Map.of("a", TensorEntry.floating("a", DType.F32, new long[] {2}, m -> m.create(new float[] {1, 2}, new Shape(2)))),
                Map.of(), "x");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aFifoADeviceAFolderAndAnEmptyPathAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        TauLabException e = assertThrows(TauLabException.class, () -> tiny().save(fifo));
        assertEquals(fifo + ": exists and is not a regular file (a device, FIFO, socket or dangling link); refusing to replace it", e.getMessage());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO is still a FIFO");

        Path devNull = Path.of("/dev/null");
        assertThrows(TauLabException.class, () -> OutputFile.check(devNull));
        Path linkToDevice = dir.resolve("null.safetensors");
        Files.createSymbolicLink(linkToDevice, devNull);
        assertThrows(TauLabException.class, () -> tiny().save(linkToDevice));
        assertTrue(Files.isSymbolicLink(linkToDevice), "the link was not replaced");

        Path folder = Files.createDirectory(dir.resolve("folder.safetensors"));
        assertEquals(folder + ": is a directory", assertThrows(TauLabException.class, () -> OutputFile.check(folder)).getMessage());
        assertEquals("output path is empty", assertThrows(TauLabException.class, () -> OutputFile.check(Path.of(""))).getMessage());
        Path nowhere = dir.resolve("missing/out.safetensors");
        assertEquals(nowhere + ": directory " + nowhere.getParent() + " does not exist",
                assertThrows(TauLabException.class, () -> OutputFile.check(nowhere)).getMessage());
        assertEquals(List.of("folder.safetensors", "null.safetensors", "pipe"), names(), "no temporary was made");
    }

    @Test
    void aRegularFileAndALinkToOneMayBeReplaced() throws IOException {
        Path out = dir.resolve("out.safetensors");
        Files.writeString(out, "old");
        tiny().save(out);
        assertEquals(8 + 2 * 4, Files.size(out) - HandParsedSafetensors.read(out).headerLength);
        assertEquals(List.of("out.safetensors"), names());
    }

    @Test
    void theNextWriteRemovesTemporariesOfDeadWritersOnly() throws Exception {
        Path out = dir.resolve("m.safetensors");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        long livePid = ProcessHandle.current().pid();
        Path stale = Files.writeString(dir.resolve(".m.safetensors." + deadPid + "-123.partial"), "x");
        Path live = Files.writeString(dir.resolve(".m.safetensors." + livePid + "-456.partial"), "x");
        Path other = Files.writeString(dir.resolve(".n.safetensors." + deadPid + "-123.partial"), "x");
        Path lookalike = Files.writeString(dir.resolve(".m.safetensors.notes.partial"), "x");
        tiny().save(out);
        assertFalse(Files.exists(stale), "the dead writer's temporary is gone");
        assertTrue(Files.exists(live), "a running writer's temporary is kept");
        assertTrue(Files.exists(other), "another output's temporary is kept");
        assertTrue(Files.exists(lookalike), "a file of another pattern is kept");
    }

    /** Run in a child JVM: makes a temporary for args[0] and a folder args[1] being built, says so, then waits to be stopped. */
    public static void main(String[] args) throws Exception {
        Path tmp = OutputFile.temporary(Path.of(args[0]).toAbsolutePath());
        Path folder = Path.of(args[1]);
        Files.writeString(Files.createDirectories(folder.resolve("finetuned")).resolve("a.safetensors"), "x");
        OutputFile.removedOnStop(folder);
        System.out.println(tmp);
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void aWriterStoppedBySigtermRemovesItsTemporaryAndSaysSo() throws Exception {
        Path out = dir.resolve("big.safetensors");
        Path log = Files.createTempFile("taulab-child", ".log");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OutputFileTest.class.getName(), out.toString(),
                    dir.resolve(".zoo.building-1").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.readString(log).contains("\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Path tmp = Path.of(Files.readString(log).strip());
            assertTrue(Files.exists(tmp), "the child made " + tmp);
            assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(child.pid())).start().waitFor());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertFalse(Files.exists(tmp), "SIGTERM left " + tmp);
            assertFalse(Files.exists(dir.resolve(".zoo.building-1")), "SIGTERM left the folder being built");
            assertTrue(Files.readString(log).contains("removed the unfinished " + tmp), Files.readString(log));
            assertEquals(List.of(), names());
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
