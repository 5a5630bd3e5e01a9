package org.taulab.dsl.zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.Sha256;
import org.taulab.dsl.tensor.Weights;

/** Checks a zoo against its manifest: every file present with its size and sha256, encoders alike in layout. */
public final class ZooVerifier {
    private ZooVerifier() {
    }

    /** Files the manifest names that are not there (relative paths), in manifest order. */
    public static java.util.List<String> missing(Zoo zoo) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (ZooManifest.ZooFile f : zoo.manifest().files()) {
            if (!Files.isRegularFile(zoo.dir().resolve(f.path()))) {
                out.add(f.path());
            }
        }
        return out;
    }

    /** Returns the number of files checked; throws on the first problem, naming the file. */
    public static int verify(Zoo zoo) {
        java.util.List<String> missing = missing(zoo);
        if (!missing.isEmpty()) {
            throw new TauLabException("zoo " + zoo.name() + ": " + missing.size() + " of " + zoo.manifest().files().size()
                    + " files missing in " + zoo.dir() + ": " + String.join(", ", missing));
        }
        int n = 0;
        for (ZooManifest.ZooFile f : zoo.manifest().files()) {
            Path p = zoo.dir().resolve(f.path());
            if (!Files.isRegularFile(p)) {
                throw new TauLabException("zoo " + zoo.name() + ": missing " + p + " (rebuild with: bin/taulab zoo build --zoo " + zoo.name() + ")");
            }
            try {
                if (f.size() != null && Files.size(p) != f.size()) {
                    throw new TauLabException("zoo " + zoo.name() + ": " + p + " is " + Files.size(p) + " bytes, manifest says " + f.size());
                }
            } catch (IOException e) {
                throw new TauLabException(p + ": cannot read (" + e.getMessage() + ")");
            }
            String sha = f.sha256() == null ? null : Sha256.of(p);
            if (sha != null && !sha.equals(f.sha256())) {
                throw new TauLabException("zoo " + zoo.name() + ": " + p + " has sha256 " + sha + ", manifest says " + f.sha256());
            }
            n++;
        }
        Weights pre = zoo.pretrained();
        for (String t : zoo.tasks()) {
            pre.requireSameFloatLayout(zoo.finetuned(t));
        }
        return n;
    }
}
