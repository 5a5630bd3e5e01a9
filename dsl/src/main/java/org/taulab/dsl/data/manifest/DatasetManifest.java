package org.taulab.dsl.data.manifest;

import java.util.List;

/** A dataset: its files (with provenance and hashes), format, class names, or the generator that makes it. */
public record DatasetManifest(String name, String kind, String description, String format, String normalize, List<String> classes,
                              String generator, Long seed, List<String> styles, List<FileSpec> files) {
    public FileSpec file(String role) {
        return files.stream().filter(f -> role.equals(f.role())).findFirst()
                .orElseThrow(() -> new org.taulab.dsl.TauLabException("dataset manifest " + name + " has no file with role " + role));
    }
}
