package org.taulab.dsl.data;

import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.manifest.BenchmarkManifest;
import org.taulab.dsl.data.manifest.DatasetManifest;
import org.taulab.dsl.data.manifest.FileSpec;
import org.taulab.dsl.data.manifest.FileVerifier;
import org.taulab.dsl.data.manifest.Manifests;
import org.taulab.dsl.data.manifest.TaskSpec;

/** Builds a benchmark's tasks from its manifest: reads and verifies sources, derives, splits. */
public final class BenchmarkData {
    private static final Map<String, List<TaskData>> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, ImageSet[]> FASHION = new ConcurrentHashMap<>();

    private BenchmarkData() {
    }

    /** Every task of the benchmark (memoized per process). */
    public static List<TaskData> load(String benchmark) {
        return CACHE.computeIfAbsent(benchmark, b -> {
            BenchmarkManifest m = Manifests.benchmark(b);
            java.util.function.Supplier<List<TaskData>> build = () -> {
                List<TaskData> tasks = new ArrayList<>();
                for (TaskSpec t : m.tasks()) {
                    tasks.add(task(m, t));
                }
                return List.copyOf(tasks);
            };
            if (m.imageSize() == null) {
                return build.get();
            }
            return BenchmarkCache.load(Manifests.home().resolve("out/cache/benchmarks"), b + "-" + cacheKey(b, m), build);
        });
    }

    /** Raised whenever the way tasks are made from their sources changes, so that no cache of the old way is read. */
    private static final String DERIVATION = "patch tasks crop val from a strip of its own";

    /**
     * The cache key of a benchmark: the derivation, its manifests' text and every source file's path, size and
     * modification time.
     */
    private static String cacheKey(String benchmark, BenchmarkManifest m) {
        List<String> parts = new ArrayList<>();
        parts.add(DERIVATION);
        parts.add(Manifests.text(Manifests.dir().resolve("benchmarks").resolve(benchmark + ".yaml")));
        for (String d : m.tasks().stream().map(TaskSpec::dataset).distinct().toList()) {
            parts.add(Manifests.text(Manifests.dir().resolve("datasets").resolve(d + ".yaml")));
            for (FileSpec f : Manifests.dataset(d).files()) {
                java.io.File file = f.resolvedPath().toFile();
                parts.add(file + " " + file.length() + " " + file.lastModified());
            }
        }
        return BenchmarkCache.key(parts);
    }

    public static TaskData task(String benchmark, String name) {
        for (TaskData t : load(benchmark)) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new TauLabException("benchmark " + benchmark + " has no task '" + name + "'");
    }

    static TaskData task(BenchmarkManifest m, TaskSpec t) {
        DatasetManifest d = Manifests.dataset(t.dataset());
        long seed = m.splitSeed() + 1_000_003L * t.subsetSeedOrZero();
        TaskData raw = switch (kind(d)) {
            case "idx" -> fashion(m, t, d, seed);
            case "sklearn-digits-csv" -> carve(m, t, DigitsCsvReader.read(FileVerifier.verify(d.file("all"), d.name())), d.classes(), seed);
            case "glyphs" -> glyphs(m, t, d, seed);
            case "safetensors-images" -> exported(m, t, d, seed);
            case "image-folders" -> carve(m, t, ImageFolders.read(used(t, d).stream().map(f -> FileVerifier.verify(f, d.name())).toList(),
                    size(m)), roles(used(t, d)), seed);
            case "patches" -> patches(m, t, d, seed);
            case "colour-glyphs" -> colourGlyphs(m, t, d, seed);
            default -> throw new TauLabException("dataset " + d.name() + ": unknown format " + d.format());
        };
        return conform(m, derive(t, raw));
    }

    /** How a dataset's images are had: its file format, or the generator that makes them. */
    private static String kind(DatasetManifest d) {
        return d.format() == null ? d.generator() : d.format();
    }

    private static int size(BenchmarkManifest m) {
        return m.imageSize() == null ? 32 : m.imageSize();
    }

    /** The dataset's files the task uses: those named in {@code use}, in that order, or all. */
    private static List<FileSpec> used(TaskSpec t, DatasetManifest d) {
        if (t.use() == null) {
            return d.files();
        }
        List<FileSpec> out = new ArrayList<>();
        for (String role : t.use()) {
            out.add(d.file(role));
        }
        return out;
    }

    private static List<String> roles(List<FileSpec> files) {
        return files.stream().map(FileSpec::role).toList();
    }

    private static TaskData patches(BenchmarkManifest m, TaskSpec t, DatasetManifest d, long seed) {
        List<FileSpec> files = used(t, d);
        List<java.awt.image.BufferedImage> pictures = files.stream().map(f -> Raster.read(FileVerifier.verify(f, d.name()))).toList();
        int per = t.perClass() == null ? 400 : t.perClass();
        int perTest = t.testPerClass() == null ? per / 4 : t.testPerClass();
        double lo = t.minSide() == null ? 0.1 : t.minSide();
        double hi = t.maxSide() == null ? 0.25 : t.maxSide();
        double test = m.testFraction();
        double val = Math.max(m.valFraction(), test);
        ImageSet train = Patches.crops(pictures, 0, 1 - test - val, per, lo, hi, size(m), seed);
        ImageSet valSet = Patches.crops(pictures, 1 - test - val, 1 - test, perTest, lo, hi, size(m), seed);
        ImageSet testSet = Patches.crops(pictures, 1 - test, 1, perTest, lo, hi, size(m), seed);
        return new TaskData(t.name(), t.description(), roles(files), train, valSet, testSet);
    }

    /**
     * Colour glyphs: a class per {@code style} of the fonts (fonts sharing a style draw from their own
     * characters), or with {@code label: character} a class per character of the task, drawn from every font.
     */
    private static TaskData colourGlyphs(BenchmarkManifest m, TaskSpec t, DatasetManifest d, long seed) {
        List<ColourGlyphs.GlyphClass> classes = glyphClasses(t, d, t.glyphsPerClass(), false);
        int per = t.perClass() == null ? 600 : t.perClass();
        ImageSet all = ColourGlyphs.render(classes, per, Boolean.TRUE.equals(t.flanked()), size(m), d.seed() + t.name().hashCode());
        return carve(m, t, all, classes.stream().map(ColourGlyphs.GlyphClass::name).toList(), seed);
    }

    /**
     * The glyph classes of a colour-glyph task; with {@code perCharacter} one class per character instead of
     * per style (each character drawn from those fonts of its style that show it), {@code glyphs} of each style.
     */
    private static List<ColourGlyphs.GlyphClass> glyphClasses(TaskSpec t, DatasetManifest d, Integer glyphs, boolean perCharacter) {
        List<FileSpec> files = used(t, d);
        Map<String, Font> loaded = new java.util.HashMap<>();
        java.util.function.Function<FileSpec, Font> font = f -> loaded.computeIfAbsent(f.path(),
                k -> GlyphRenderer.loadFont(FileVerifier.verify(f, d.name())));
        List<ColourGlyphs.GlyphClass> classes = new ArrayList<>();
        if ("character".equals(t.label())) {
            List<Font> fonts = files.stream().map(font).toList();
            List<int[]> flank = fonts.stream().map(f -> ColourGlyphs.codePoints(t.characters(), f)).toList();
            for (int i = 0; i < t.characters().length(); i++) {
                String ch = String.valueOf(t.characters().charAt(i));
                classes.add(new ColourGlyphs.GlyphClass(ch, fonts, fonts.stream().map(f -> ColourGlyphs.codePoints(ch, f)).toList(), flank));
            }
            return classes;
        }
        Map<String, List<FileSpec>> byStyle = new java.util.LinkedHashMap<>();
        files.forEach(f -> byStyle.computeIfAbsent(f.style(), k -> new ArrayList<>()).add(f));
        byStyle.forEach((style, fs) -> {
            List<Font> fonts = fs.stream().map(font).toList();
            List<int[]> cps = new ArrayList<>();
            for (int i = 0; i < fs.size(); i++) {
                cps.add(ColourGlyphs.evenlySpaced(ColourGlyphs.codePoints(fs.get(i).characters(), fonts.get(i)), glyphs));
            }
            if (!perCharacter) {
                classes.add(new ColourGlyphs.GlyphClass(style, fonts, cps, cps));
                return;
            }
            java.util.TreeSet<Integer> chars = new java.util.TreeSet<>();
            cps.forEach(a -> java.util.Arrays.stream(a).forEach(chars::add));
            for (int cp : chars) {
                List<int[]> only = cps.stream().map(a -> java.util.Arrays.stream(a).anyMatch(x -> x == cp) ? new int[] {cp} : new int[0]).toList();
                classes.add(new ColourGlyphs.GlyphClass(style + " " + new String(Character.toChars(cp)), fonts, only, only));
            }
        });
        return classes;
    }

    /**
     * Fresh renders of the characters a colour-glyph task draws from, each labelled by the character it shows
     * (its caption, as a web image's caption names what is printed), at most {@code glyphs} characters of each
     * style and about {@code count} images in all; empty for any other kind of task. The renders use their own
     * seed, so none is an image of the task's splits.
     */
    public static CaptionedImages captionedGlyphs(String benchmark, String task, int count, int glyphs, long seed) {
        BenchmarkManifest m = Manifests.benchmark(benchmark);
        TaskSpec t = m.tasks().stream().filter(x -> x.name().equals(task)).findFirst()
                .orElseThrow(() -> new TauLabException("benchmark " + benchmark + " has no task '" + task + "'"));
        DatasetManifest d = Manifests.dataset(t.dataset());
        if (!"colour-glyphs".equals(kind(d))) {
            return new CaptionedImages(null, List.of());
        }
        List<ColourGlyphs.GlyphClass> classes = glyphClasses(t, d, glyphs, true);
        int per = Math.max(1, (int) Math.round(count / (double) classes.size()));
        ImageSet all = ColourGlyphs.render(classes, per, Boolean.TRUE.equals(t.flanked()), size(m), seed);
        int c = m.channels() == null ? all.channels() : m.channels();
        ImageSet shown = Boolean.TRUE.equals(t.grayscale()) ? ImageOps.gray(all) : all;
        return new CaptionedImages(Raster.conform(shown, c, size(m)), classes.stream().map(ColourGlyphs.GlyphClass::name).toList());
    }

    /** The benchmark's image format and test cap applied to every split. */
    private static TaskData conform(BenchmarkManifest m, TaskData t) {
        if (m.imageSize() == null && m.testMax() == null) {
            return t;
        }
        int c = m.channels() == null ? t.train().channels() : m.channels();
        int s = m.imageSize() == null ? t.train().height() : m.imageSize();
        ImageSet test = m.testMax() == null ? t.test() : t.test().select(java.util.Arrays.copyOf(
                Splits.permutation(t.test().count(), m.splitSeed() + 99), Math.min(m.testMax(), t.test().count())));
        return new TaskData(t.name(), t.description(), t.classes(), Raster.conform(t.train(), c, s), Raster.conform(t.val(), c, s),
                Raster.conform(test, c, s));
    }

    private static TaskData fashion(BenchmarkManifest m, TaskSpec t, DatasetManifest d, long seed) {
        ImageSet[] sets = FASHION.computeIfAbsent(d.name(), k -> new ImageSet[] {
            IdxReader.read(FileVerifier.verify(d.file("train-images"), d.name()), FileVerifier.verify(d.file("train-labels"), d.name())),
            IdxReader.read(FileVerifier.verify(d.file("test-images"), d.name()), FileVerifier.verify(d.file("test-labels"), d.name()))});
        ImageSet train = sets[0];
        int[] p = Splits.permutation(train.count(), seed);
        int n = t.trainLimit() == null ? train.count() : Math.min(t.trainLimit(), train.count());
        int nVal = Splits.valSize(n, m.valFraction(), m.valMax());
        ImageSet test = sets[1];
        int nTest = t.testLimit() == null ? test.count() : Math.min(t.testLimit(), test.count());
        int[] q = Splits.permutation(test.count(), seed + 17);
        return new TaskData(t.name(), t.description(), d.classes(), train.select(Splits.range(p, nVal, n)),
                train.select(Splits.range(p, 0, nVal)), test.select(Splits.range(q, 0, nTest)));
    }

    /** A user-exported dataset (the CLIP setting): its own train and test files, val held out of train. */
    private static TaskData exported(BenchmarkManifest m, TaskSpec t, DatasetManifest d, long seed) {
        Path trainFile = FileVerifier.verify(d.file("train"), d.name());
        Path testFile = FileVerifier.verify(d.file("test"), d.name());
        ImageSet train = SafetensorsImages.read(trainFile);
        ImageSet test = SafetensorsImages.read(testFile);
        int[] p = Splits.permutation(train.count(), seed);
        int nVal = Splits.valSize(train.count(), m.valFraction(), m.valMax());
        int classes = java.util.Arrays.stream(train.labels()).max().orElse(-1) + 1;
        return new TaskData(t.name(), t.description(), SafetensorsImages.classes(trainFile, classes),
                train.select(Splits.range(p, nVal, train.count())), train.select(Splits.range(p, 0, nVal)), test);
    }

    /** Splits one pool of images: test_fraction for test, then val out of the rest. */
    private static TaskData carve(BenchmarkManifest m, TaskSpec t, ImageSet all, List<String> classes, long seed) {
        int[] p = Splits.permutation(all.count(), seed);
        int nTest = (int) Math.round(all.count() * m.testFraction());
        int rest = all.count() - nTest;
        int nVal = Splits.valSize(rest, m.valFraction(), m.valMax());
        return new TaskData(t.name(), t.description(), classes, all.select(Splits.range(p, nTest + nVal, all.count())),
                all.select(Splits.range(p, nTest, nTest + nVal)), all.select(Splits.range(p, 0, nTest)));
    }

    private static TaskData glyphs(BenchmarkManifest m, TaskSpec t, DatasetManifest d, long seed) {
        List<Font> fonts = new ArrayList<>();
        List<String> fontStyles = new ArrayList<>();
        for (FileSpec f : d.files()) {
            Path p = FileVerifier.verify(f, d.name());
            fonts.add(GlyphRenderer.loadFont(p));
            fontStyles.add(f.style());
        }
        String chars = t.characters();
        int jitters = t.jitters() == null ? 10 : t.jitters();
        boolean byStyle = "style".equals(t.label());
        List<GlyphRenderer.Sample> samples = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int f = 0; f < fonts.size(); f++) {
            for (int c = 0; c < chars.length(); c++) {
                for (int j = 0; j < jitters; j++) {
                    samples.add(new GlyphRenderer.Sample(f, chars.charAt(c)));
                    labels.add(byStyle ? d.styles().indexOf(fontStyles.get(f)) : c);
                }
            }
        }
        float[] px = GlyphRenderer.render(fonts, samples, d.seed() + t.name().hashCode());
        int[] lb = labels.stream().mapToInt(Integer::intValue).toArray();
        List<String> classes = new ArrayList<>();
        if (byStyle) {
            classes.addAll(d.styles());
        } else {
            chars.chars().forEach(ch -> classes.add(String.valueOf((char) ch)));
        }
        return carve(m, t, new ImageSet(px, lb, lb.length, 28, 28), classes, seed);
    }

    /** Applies the task's relabelling, class names and transforms to every split. */
    private static TaskData derive(TaskSpec t, TaskData raw) {
        List<String> classes = t.classes() != null ? t.classes() : raw.classes();
        return new TaskData(t.name(), t.description(), classes, apply(t, raw.train()), apply(t, raw.val()), apply(t, raw.test()));
    }

    private static ImageSet apply(TaskSpec t, ImageSet s) {
        ImageSet out = Boolean.TRUE.equals(t.grayscale()) ? ImageOps.gray(s) : s;
        if (t.relabel() != null) {
            int[] lb = new int[s.count()];
            for (int i = 0; i < lb.length; i++) {
                Integer to = t.relabel().get(s.labels()[i]);
                if (to == null) {
                    throw new TauLabException("task " + t.name() + ": relabel has no entry for class " + s.labels()[i]);
                }
                lb[i] = to;
            }
            out = out.withLabels(lb);
        }
        if (t.transform() != null) {
            for (String tr : t.transform()) {
                out = switch (tr) {
                    case "rotate90" -> ImageOps.rotate(out, 1);
                    case "rotate180" -> ImageOps.rotate(out, 2);
                    case "rotate270" -> ImageOps.rotate(out, 3);
                    case "invert" -> ImageOps.invert(out);
                    default -> throw new TauLabException("task " + t.name() + ": unknown transform '" + tr + "'");
                };
            }
        }
        return out;
    }
}
