package org.taulab.dsl.data.manifest;

/** One file a manifest depends on: where it is, which Debian package ships it, its size and sha256. */
public record FileSpec(String role, String path, String debianPackage, Long size, String sha256, String verify, String style) {
    /** {@code verify: warn} files (fonts) may differ between releases; a mismatch is reported, not fatal. */
    public boolean lenient() {
        return "warn".equals(verify);
    }
}
