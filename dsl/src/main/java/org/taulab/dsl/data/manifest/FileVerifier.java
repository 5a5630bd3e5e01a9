package org.taulab.dsl.data.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.Sha256;

/**
 * Checks a manifest's files before they are read: present, of the recorded size and sha256. A missing
 * file says which Debian package to install. Results are remembered for the life of the process.
 */
public final class FileVerifier {
    private static final Map<String, Boolean> VERIFIED = new ConcurrentHashMap<>();

    private FileVerifier() {
    }

    public static Path verify(FileSpec f, String dataset) {
        Path p = f.resolvedPath();
        if (VERIFIED.containsKey(p.toString())) {
            return p;
        }
        if (Files.isDirectory(p)) {
            verifyTree(f, p, dataset);
            VERIFIED.put(p.toString(), true);
            return p;
        }
        if (!Files.isRegularFile(p)) {
            String how = f.debianPackage() != null
                    ? "install the Debian package " + f.debianPackage() + " (apt-get install " + f.debianPackage() + ")"
                    : "export it there (see data-manifests/README.md)";
            throw new TauLabException(dataset + ": missing " + p + ": " + how);
        }
        try {
            long size = Files.size(p);
            if (f.size() != null && size != f.size()) {
                mismatch(f, dataset, "size " + size + " bytes, manifest says " + f.size());
            } else if (f.sha256() != null) {
                String actual = Sha256.of(p);
                if (!actual.equalsIgnoreCase(f.sha256())) {
                    mismatch(f, dataset, "sha256 " + actual + ", manifest says " + f.sha256());
                }
            }
        } catch (IOException e) {
            throw new TauLabException(dataset + ": cannot read " + p + " (" + e.getMessage() + ")");
        }
        VERIFIED.put(p.toString(), true);
        return p;
    }

    private static void verifyTree(FileSpec f, Path dir, String dataset) {
        long[] size = new long[1];
        String digest = treeDigest(dir, size);
        if (f.size() != null && size[0] != f.size()) {
            mismatch(f, dataset, "files of " + size[0] + " bytes in all, manifest says " + f.size());
        } else if (f.sha256() != null && !digest.equalsIgnoreCase(f.sha256())) {
            mismatch(f, dataset, "tree digest " + digest + ", manifest says " + f.sha256());
        }
    }

    /**
     * The digest of a folder: sha256 of the lines "relative/path sha256-of-file", one per regular file below it (links not followed),
     * sorted by path; {@code totalSize[0]} receives the files' total size.
     */
    public static String treeDigest(Path dir, long[] totalSize) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long total = 0;
            for (Path p : files) {
                total += Files.size(p);
                md.update((dir.relativize(p).toString().replace('\\', '/') + " " + Sha256.of(p) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            totalSize[0] = total;
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new TauLabException(dir + ": cannot read folder (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void mismatch(FileSpec f, String dataset, String what) {
        String msg = dataset + ": " + f.path() + " has " + what;
        if (f.lenient()) {
            System.err.println("taulab: warning: " + msg + " (a different release of " + f.debianPackage() + "?)");
        } else {
            throw new TauLabException(msg);
        }
    }
}
