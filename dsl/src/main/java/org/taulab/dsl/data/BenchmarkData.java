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
            List<TaskData> tasks = new ArrayList<>();
            for (TaskSpec t : m.tasks()) {
                tasks.add(task(m, t));
            }
            return List.copyOf(tasks);
        });
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
        TaskData raw = switch (d.format() == null ? d.generator() : d.format()) {
            case "idx" -> fashion(m, t, d, seed);
            case "sklearn-digits-csv" -> carve(m, t, DigitsCsvReader.read(FileVerifier.verify(d.file("all"), d.name())), d.classes(), seed);
            case "glyphs" -> glyphs(m, t, d, seed);
            case "safetensors-images" -> exported(m, t, d, seed);
            default -> throw new TauLabException("dataset " + d.name() + ": unknown format " + d.format());
        };
        return derive(t, raw);
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
        ImageSet out = s;
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
