package org.taulab.dsl.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Built benchmark tasks kept on disk ({@code <home>/out/cache/benchmarks/}), so decoding clip art and
 * rendering glyphs happens once per machine rather than once per command. An entry is found by a key over
 * the manifests' text and every source file's path, size and modification time, so editing a manifest or
 * reinstalling a package makes a new entry. Pixels are stored as bytes: generated images are on the 8-bit
 * grid already, so a task read back equals the task built. Any cache failure falls back to building.
 */
public final class BenchmarkCache {
    static final int FORMAT = 1;

    private BenchmarkCache() {
    }

    public static List<TaskData> load(Path dir, String key, Supplier<List<TaskData>> build) {
        Path file = dir.resolve(key + ".bin.gz");
        if (Files.isRegularFile(file)) {
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                return read(new DataInputStream(in));
            } catch (IOException | RuntimeException e) {
                // a damaged entry is rebuilt below
            }
        }
        List<TaskData> tasks = build.get();
        if (onGrid(tasks)) {
            write(dir, file, tasks);
        }
        return tasks;
    }

    /** Key: sha256 over the format version and the given texts. */
    public static String key(List<String> parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("format " + FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean onGrid(List<TaskData> tasks) {
        for (TaskData t : tasks) {
            for (ImageSet s : List.of(t.train(), t.val(), t.test())) {
                for (float v : s.pixels()) {
                    if (Math.round(v * 255) / 255f != v) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static void write(Path dir, Path file, List<TaskData> tasks) {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".cache", ".partial");
            try (OutputStream os = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)), 1 << 16);
                 DataOutputStream out = new DataOutputStream(os)) {
                out.writeInt(tasks.size());
                for (TaskData t : tasks) {
                    out.writeUTF(t.name());
                    out.writeUTF(t.description() == null ? "" : t.description());
                    out.writeInt(t.classes().size());
                    for (String c : t.classes()) {
                        out.writeUTF(c);
                    }
                    for (ImageSet s : List.of(t.train(), t.val(), t.test())) {
                        writeSet(out, s);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removeStale(dir, file);
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                tmp.toFile().delete();
            }
        }
    }

    /** Entries of the same benchmark under older keys ("name-key.bin.gz") are removed once a new one is in place. */
    private static void removeStale(Path dir, Path kept) throws IOException {
        String name = kept.getFileName().toString();
        String prefix = name.substring(0, name.lastIndexOf('-') + 1);
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!p.equals(kept) && n.startsWith(prefix) && n.endsWith(".bin.gz") && n.indexOf('-', prefix.length()) < 0) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void writeSet(DataOutputStream out, ImageSet s) throws IOException {
        out.writeInt(s.count());
        out.writeInt(s.channels());
        out.writeInt(s.height());
        out.writeInt(s.width());
        byte[] px = new byte[s.pixels().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(s.pixels()[i] * 255);
        }
        out.write(px);
        for (int l : s.labels()) {
            out.writeInt(l);
        }
    }

    private static List<TaskData> read(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<TaskData> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            String description = in.readUTF();
            int c = in.readInt();
            List<String> classes = new ArrayList<>();
            for (int k = 0; k < c; k++) {
                classes.add(in.readUTF());
            }
            tasks.add(new TaskData(name, description, List.copyOf(classes), readSet(in), readSet(in), readSet(in)));
        }
        return List.copyOf(tasks);
    }

    private static ImageSet readSet(DataInputStream in) throws IOException {
        int count = in.readInt();
        int c = in.readInt();
        int h = in.readInt();
        int w = in.readInt();
        byte[] px = new byte[count * c * h * w];
        in.readFully(px);
        float[] f = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            f[i] = (px[i] & 0xff) / 255f;
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = in.readInt();
        }
        return new ImageSet(f, labels, count, c, h, w);
    }
}
