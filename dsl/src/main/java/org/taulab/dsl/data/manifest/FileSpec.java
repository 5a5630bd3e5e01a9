package org.taulab.dsl.data.manifest;

/**
 * One file a manifest depends on: where it is, which Debian package ships it, its size and sha256. A directory
 * (a folder of pictures) has the total size of its files and a tree digest ({@link FileVerifier#treeDigest}).
 * {@code style} names the class a font or picture stands for where the dataset labels by it, and
 * {@code characters} the code points a font is drawn from ("U+0391-U+03A9,0123").
 */
public record FileSpec(String role, String path, String debianPackage, Long size, String sha256, String verify, String style,
                       String characters) {
    /** {@code verify: warn} files (fonts) may differ between releases; a mismatch is reported, not fatal. */
    public boolean lenient() {
        return "warn".equals(verify);
    }

    /** The path with {@code ${TAULAB_DATA}} expanded (default {@code ~/taulab-data}). */
    public java.nio.file.Path resolvedPath() {
        String data = System.getenv("TAULAB_DATA");
        if (data == null || data.isBlank()) {
            data = System.getProperty("taulab.data", System.getProperty("user.home") + "/taulab-data");
        }
        return java.nio.file.Path.of(path.replace("${TAULAB_DATA}", data));
    }
}
