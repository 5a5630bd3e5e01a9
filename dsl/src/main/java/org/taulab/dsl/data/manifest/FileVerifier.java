package org.taulab.dsl.data.manifest;

import java.io.IOException;
import java.nio.file.Files;
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

    private static void mismatch(FileSpec f, String dataset, String what) {
        String msg = dataset + ": " + f.path() + " has " + what;
        if (f.lenient()) {
            System.err.println("taulab: warning: " + msg + " (a different release of " + f.debianPackage() + "?)");
        } else {
            throw new TauLabException(msg);
        }
    }
}
