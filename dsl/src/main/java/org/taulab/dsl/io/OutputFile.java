package org.taulab.dsl.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.taulab.dsl.TauLabException;

/**
 * The rules for a file TauLab writes: it only ever replaces a regular file (never a device, a FIFO, a socket or a
 * folder, nor a link to one), and it is written to a temporary beside it, {@code .NAME.PID-N.partial}, that is
 * removed if the process is stopped first (Ctrl-C, SIGTERM, SIGHUP run the JVM's shutdown hooks) and, should the
 * process be killed outright, by the next write to the same output once no process with that PID runs.
 */
public final class OutputFile {
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private OutputFile() {
    }

    /** Refuses, with one line naming it, an output that could not or must not be replaced by a new file. */
    public static void check(Path target) {
        if (target == null || target.toString().isBlank()) {
            throw new TauLabException("output path is empty");
        }
        Path out = target.toAbsolutePath().normalize();
        if (out.getFileName() == null) {
            throw new TauLabException(target + ": not a file name");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isDirectory(out)) {
                throw new TauLabException(target + ": is a directory");
            }
            if (!Files.isRegularFile(out)) {
                throw new TauLabException(target + ": exists and is not a regular file (a device, FIFO, socket or dangling link); refusing to replace it");
            }
        }
        Path dir = out.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new TauLabException(target + ": directory " + dir + " does not exist");
        }
    }

    /** A new, empty temporary for {@code out} in its folder, removed on shutdown until {@link #finished} is called. */
    public static Path temporary(Path out) throws IOException {
        removeStale(out);
        hook();
        Path tmp = Files.createTempFile(out.getParent(), prefix(out), ".partial");
        OPEN.add(tmp);
        return tmp;
    }

    /** The temporary was moved into place or deleted: the shutdown hook leaves it alone. */
    public static void finished(Path tmp) {
        OPEN.remove(tmp);
    }

    /** Registers a temporary file or folder (a zoo being built) for removal should the process be stopped first. */
    public static Path removedOnStop(Path tmp) {
        hook();
        OPEN.add(tmp);
        return tmp;
    }

    private static String prefix(Path out) {
        return "." + out.getFileName() + "." + ProcessHandle.current().pid() + "-";
    }

    /** Deletes the temporaries of {@code out} whose writing process no longer runs (only names of this pattern). */
    static void removeStale(Path out) {
        Pattern own = Pattern.compile(Pattern.quote("." + out.getFileName() + ".") + "(\\d+)-\\d+\\.partial");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(out.getParent(), "." + globEscape(out.getFileName().toString()) + ".*.partial")) {
            for (Path p : ds) {
                Matcher m = own.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !running(m.group(1))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a stale temporary only takes space
        }
    }

    private static boolean running(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Deletes a folder and everything below it (links are removed, not followed), as much as it can; the first failure is rethrown. */
    public static void deleteTree(Path dir) throws IOException {
        IOException first = null;
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static String globEscape(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static void hook() {
        if (hooked) {
            return;
        }
        synchronized (OPEN) {
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(OutputFile::removeOpen, "taulab-remove-partial"));
                hooked = true;
            }
        }
    }

    private static void removeOpen() {
        for (Path tmp : OPEN) {
            try {
                if (Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(tmp);
                    System.err.println("taulab: stopped before finishing; removed the unfinished " + tmp);
                } else if (Files.deleteIfExists(tmp)) {
                    System.err.println("taulab: stopped before finishing; removed the unfinished " + tmp);
                }
            } catch (IOException e) {
                System.err.println("taulab: stopped before finishing; could not remove " + tmp + " (" + e.getMessage() + ")");
            }
        }
    }
}
