package org.taulab.dsl.zoo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.taulab.dsl.Progress;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.BenchmarkData;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.data.Splits;
import org.taulab.dsl.data.TaskData;
import org.taulab.dsl.model.Classifier;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.Sha256;
import org.taulab.dsl.model.ClassifierHead;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.model.ScopedParams;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.train.AdamW;
import org.taulab.dsl.train.Batches;
import org.taulab.dsl.train.Losses;
import org.taulab.dsl.train.TrainableWeights;

/**
 * Builds a zoo from scratch, the CLIP protocol in miniature: (1) pretrain the encoder on a label-free
 * pretext over images pooled from every task (contrastive: InfoNCE between two augmented views, CLIP's
 * objective with an image view in place of the text); (2) fit each task's linear head on the frozen
 * pretrained features and freeze it (the zero-shot head analog: centred class prototypes at a fixed logit
 * scale); (3) fine-tune the whole encoder per task with its head frozen, a fixed number of AdamW steps per
 * task with warmup and cosine decay. Seeded throughout.
 */
public final class ZooBuilder {
    private final ZooRecipe recipe;
    private final Progress progress;
    private long started;
    private double unitsDone;
    private double unitsTotal;

    public ZooBuilder(ZooRecipe recipe, Progress progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    public Zoo build(String name, Path dir) {
        return build(name, dir, null);
    }

    /**
     * Builds the zoo into {@code dir}; with {@code reusePretrained} the pretraining stage is skipped and that
     * encoder used instead (it must have been pretrained by a recipe with the same architecture and pretext).
     */
    public Zoo build(String name, Path dir, Path reusePretrained) {
        List<TaskData> tasks = BenchmarkData.load(recipe.benchmark());
        ImageSet first = tasks.get(0).train();
        int grid = first.height() / recipe.patch();
        int channels = first.channels();
        VitConfig config = new VitConfig(recipe.width(), channels, recipe.patch(), grid, recipe.layers(), recipe.heads(), recipe.embed(), "quick_gelu");
        ClipVit vit = new ClipVit(config);
        try {
            Files.createDirectories(dir.resolve("finetuned"));
            Files.createDirectories(dir.resolve("heads"));
        } catch (IOException e) {
            throw new TauLabException(dir + ": cannot create zoo directory (" + e.getMessage() + ")");
        }
        started = System.nanoTime();
        unitsDone = 0;
        long pretrainSteps = reusePretrained != null ? 0 : recipe.pretrainEpochs()
                * (long) (tasks.stream().mapToInt(t -> Math.min(recipe.pretrainPerTask(), t.train().count())).sum() / recipe.pretrainBatch());
        unitsTotal = pretrainSteps * 2.0 * recipe.pretrainBatch() + tasks.size() * (double) recipe.finetuneSteps() * recipe.batch();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> init = VitInit.init(recipe, channels, grid);
        org.taulab.dsl.synthetic.SyntheticCheckpoints.vitShapes(recipe.width(), recipe.layers(), recipe.patch(), grid * grid + 1, recipe.embed())
                .forEach(shapes::put);
        shapes.put("conv1.weight", new long[] {recipe.width(), channels, recipe.patch(), recipe.patch()});

        if (reusePretrained != null) {
            reuse(reusePretrained, dir.resolve("pretrained.safetensors"));
        } else {
            pretrain(vit, init, shapes, tasks).save(dir.resolve("pretrained.safetensors"));
        }
        Weights pretrained = Weights.load(dir.resolve("pretrained.safetensors"));
        List<String> names = new ArrayList<>();
        for (TaskData t : tasks) {
            names.add(t.name());
            Weights head = fitHead(vit, pretrained, t);
            head.save(dir.resolve("heads").resolve(t.name() + ".safetensors"));
        }
        for (int i = 0; i < tasks.size(); i++) {
            TaskData t = tasks.get(i);
            Weights head = Weights.load(dir.resolve("heads").resolve(t.name() + ".safetensors"));
            Weights tuned = finetune(vit, pretrained, head, t, i, tasks.size());
            tuned.save(dir.resolve("finetuned").resolve(t.name() + ".safetensors"));
        }
        new ZooManifest(name, recipe.benchmark(), names, recipe.asMap(), files(dir, names), null, null, null)
                .write(dir.resolve(ZooManifest.FILE));
        return Zoo.at(dir, name);
    }

    /** "; whole build about 14 min left", from the images processed so far (pretraining counts both views). */
    private String overall() {
        if (unitsDone <= 0) {
            return "";
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long minutes = Math.round(elapsed / unitsDone * (unitsTotal - unitsDone) / 60);
        return "; whole build about " + minutes + " min left";
    }

    static final String PRETRAIN_KEY = "taulab.zoo.pretrain";

    /** What the pretrained encoder depends on: the recipe's architecture, pretext, pool and seed. */
    String pretrainDigest() {
        Map<String, Object> m = recipe.asMap();
        List<String> keys = List.of("benchmark", "width", "layers", "heads", "patch", "embed", "pretext", "pretrain_per_task",
                "pretrain_epochs", "pretrain_lr", "pretrain_batch", "pretrain_colour", "temperature", "warmup", "seed");
        StringBuilder sb = new StringBuilder();
        keys.forEach(k -> sb.append(k).append('=').append(m.get(k)).append(';'));
        return sb.toString();
    }

    private void reuse(Path from, Path to) {
        Weights w = Weights.load(from);
        String made = w.metadata().get(PRETRAIN_KEY);
        w.close();
        if (!pretrainDigest().equals(made)) {
            throw new TauLabException(from + ": was not pretrained by this recipe (it records " + made + "; this recipe: " + pretrainDigest() + ")");
        }
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TauLabException(from + ": cannot copy (" + e.getMessage() + ")");
        }
    }


    static List<ZooManifest.ZooFile> files(Path dir, List<String> tasks) {
        List<String> rel = new ArrayList<>();
        rel.add("pretrained.safetensors");
        tasks.forEach(t -> rel.add("finetuned/" + t + ".safetensors"));
        tasks.forEach(t -> rel.add("heads/" + t + ".safetensors"));
        List<ZooManifest.ZooFile> out = new ArrayList<>();
        for (String r : rel) {
            Path p = dir.resolve(r);
            try {
                out.add(new ZooManifest.ZooFile(r, Files.size(p), Sha256.of(p)));
            } catch (IOException e) {
                throw new TauLabException(p + ": cannot stat (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** The pool of label-free pretraining images: up to pretrainPerTask train images of every task. */
    ImageSet pool(List<TaskData> tasks) {
        ImageSet pool = null;
        for (int i = 0; i < tasks.size(); i++) {
            ImageSet train = tasks.get(i).train();
            int[] p = Splits.permutation(train.count(), recipe.seed() + 100 + i);
            ImageSet part = train.select(java.util.Arrays.copyOf(p, Math.min(recipe.pretrainPerTask(), train.count())));
            pool = pool == null ? part : ImageSet.concat(pool, part);
        }
        return pool;
    }

    /** Linear warmup over the first {@code warmup} of the steps, then a cosine to zero. */
    static double scheduled(double peak, double warmup, long step, long total) {
        long w = Math.max(1, Math.round(warmup * total));
        if (step < w) {
            return peak * (step + 1) / w;
        }
        double t = (step - w) / (double) Math.max(1, total - w);
        return peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t)));
    }

    /** At most this many characters of each glyph style are captioned in the pool of the captioned pretext. */
    static final int CAPTION_GLYPHS = 48;
    private static final String CAPTIONS = "caption.weight";

    Weights pretrain(ClipVit vit, Map<String, float[]> init, Map<String, long[]> shapes, List<TaskData> tasks) {
        return switch (recipe.pretext()) {
            case "contrastive" -> pretrainContrastive(vit, init, shapes, pool(tasks), 0);
            case "captioned" -> {
                CaptionedPool p = captionedPool(tasks);
                yield pretrainContrastive(vit, init, shapes, p.images(), p.captions());
            }
            default -> throw new TauLabException("zoo recipe: unknown pretext '" + recipe.pretext() + "' (contrastive, captioned)");
        };
    }

    private static ImageSet uncaptioned(ImageSet pool) {
        int[] none = new int[pool.count()];
        java.util.Arrays.fill(none, -1);
        return pool.withLabels(none);
    }

    /** A pool whose labels are caption ids (−1: the image has none); {@code captions} of them in all. */
    record CaptionedPool(ImageSet images, int captions) {
    }

    /**
     * The captioned pretext's pool: each glyph task contributes fresh renders of its characters captioned by the
     * character shown (see {@link BenchmarkData#captionedGlyphs}) in place of its train images; every other task
     * its train images, uncaptioned.
     */
    CaptionedPool captionedPool(List<TaskData> tasks) {
        ImageSet pool = null;
        int captions = 0;
        for (int i = 0; i < tasks.size(); i++) {
            TaskData t = tasks.get(i);
            int n = Math.min(recipe.pretrainPerTask(), t.train().count());
            org.taulab.dsl.data.CaptionedImages c = BenchmarkData.captionedGlyphs(recipe.benchmark(), t.name(), n, CAPTION_GLYPHS, recipe.seed() + 200 + i);
            ImageSet part;
            if (c.isEmpty()) {
                int[] p = Splits.permutation(t.train().count(), recipe.seed() + 100 + i);
                part = uncaptioned(t.train().select(java.util.Arrays.copyOf(p, n)));
            } else {
                int[] lb = c.images().labels().clone();
                for (int k = 0; k < lb.length; k++) {
                    lb[k] += captions;
                }
                captions += c.captions().size();
                part = c.images().withLabels(lb);
            }
            pool = pool == null ? part : ImageSet.concat(pool, part);
        }
        return new CaptionedPool(pool, captions);
    }

    /**
     * The CLIP-like pretext: two augmented views of every pooled image; InfoNCE over the normalized embeddings
     * of a batch of 2B views at a fixed temperature (each view's positive is its twin). With {@code captions}
     * &gt; 0, views of captioned images (pool labels ≥ 0) are also matched against a learned embedding of every
     * caption at the same temperature, CLIP's image-to-text loss with a lookup table for the text tower; the
     * table is dropped afterwards.
     */
    Weights pretrainContrastive(ClipVit vit, Map<String, float[]> init, Map<String, long[]> shapes, ImageSet pool, int captions) {
        NDManager root = Tensors.root();
        int b = recipe.pretrainBatch();
        Map<String, float[]> values = new LinkedHashMap<>(init);
        Map<String, long[]> shapeOf = new LinkedHashMap<>(shapes);
        int e = vit.config().embed();
        if (captions > 0) {
            Random r = new Random(recipe.seed() + 3);
            float[] table = new float[captions * e];
            for (int k = 0; k < table.length; k++) {
                table[k] = (float) (r.nextGaussian() / Math.sqrt(e));
            }
            values.put(CAPTIONS, table);
            shapeOf.put(CAPTIONS, new long[] {captions, e});
        }
        try (TrainableWeights w = new TrainableWeights(root, values, shapeOf);
             AdamW opt = new AdamW(root, recipe.pretrainLr(), 0.05)) {
            Random rnd = new Random(recipe.seed() + 1);
            long perEpoch = pool.count() / b;
            long totalSteps = recipe.pretrainEpochs() * perEpoch;
            long step = 0;
            for (int epoch = 0; epoch < recipe.pretrainEpochs(); epoch++) {
                ImageSet v1 = Augment.views(pool, rnd, 0.6, 3, 0.3, recipe.pretrainColour());
                ImageSet v2 = Augment.views(pool, rnd, 0.6, 3, 0.3, recipe.pretrainColour());
                int[] order = Splits.permutation(pool.count(), recipe.seed() + 10 + epoch);
                for (long s = 0; s < perEpoch; s++) {
                    int from = (int) s * b;
                    opt.learningRate(scheduled(recipe.pretrainLr(), recipe.warmup(), step, totalSteps));
                    try (NDManager m = Tensors.scope()) {
                        NDArray images = NDArrays.concat(new NDList(Batches.images(m, v1, order, from, from + b),
                                Batches.images(m, v2, order, from, from + b)), 0);
                        long[] twin = new long[2 * b];
                        for (int i = 0; i < 2 * b; i++) {
                            twin[i] = (i + b) % (2 * b);
                        }
                        NDArray labels = m.create(twin);
                        NDArray mask = m.eye(2 * b).mul(1e4f);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray f = vit.features(ScopedParams.in(m, w::get), images);
                            NDArray z = unit(f);
                            NDArray logits = Tensors.div(z.matMul(z.transpose()), recipe.temperature()).sub(mask);
                            NDArray loss = Losses.crossEntropy(logits, labels);
                            if (captions > 0) {
                                int[] caption = new int[b];
                                for (int i = 0; i < b; i++) {
                                    caption[i] = pool.labels()[order[from + i]];
                                }
                                loss = loss.add(captionLoss(m, z, unit(w.get(CAPTIONS)), caption, recipe.temperature()));
                            }
                            gc.backward(loss);
                            Divergence.check(loss.getFloat(), "pretraining", step + 1, totalSteps, "pretrain_lr", recipe.pretrainLr());
                        }
                        opt.step(w.list());
                    }
                    unitsDone += 2.0 * b;
                    progress.update("pretraining (" + recipe.pretext() + " pretext)", ++step, totalSteps);
                }
            }
            Map<String, String> meta = new LinkedHashMap<>(vit.config().metadata());
            meta.put(PRETRAIN_KEY, pretrainDigest());
            return w.snapshot("pretrained", meta, k -> !k.equals(CAPTIONS));
        }
    }

    private static NDArray unit(NDArray f) {
        return f.div(f.square().sum(new int[] {-1}, true).add(1e-12).sqrt());
    }

    /**
     * Mean cross-entropy of the captioned views against every caption embedding at temperature {@code t}: rows
     * {@code i} and {@code i + b} of {@code z} are the two views of an image with caption {@code caption[i]} (−1:
     * none, the row does not count); 0 when no row has a caption.
     */
    static NDArray captionLoss(NDManager m, NDArray z, NDArray table, int[] caption, double t) {
        int b = caption.length;
        int captions = (int) table.getShape().get(0);
        float[] target = new float[2 * b * captions];
        int rows = 0;
        for (int i = 0; i < b; i++) {
            if (caption[i] >= 0) {
                target[i * captions + caption[i]] = 1;
                target[(i + b) * captions + caption[i]] = 1;
                rows += 2;
            }
        }
        NDArray logp = Tensors.div(z.matMul(table.transpose()), t).logSoftmax(-1);
        return Tensors.div(logp.mul(m.create(target, new Shape(2 * b, captions))).sum().neg(), Math.max(1, rows));
    }

    /** One optimizer step of cross-entropy through encoder + head on a mini-batch; returns the batch's loss before it. */
    private static float trainStep(ClipVit vit, TrainableWeights w, AdamW opt, List<NDArray> params, ImageSet set, int[] order,
                                   int from, int to, Function<NDManager, NDArray[]> head) {
        try (NDManager m = Tensors.scope()) {
            NDArray images = Batches.images(m, set, order, from, to);
            NDArray labels = Batches.labels(m, set, order, from, to);
            NDArray[] h = head.apply(m);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = ClassifierHead.logits(vit.features(ScopedParams.in(m, w::get), images), h[0], h[1]);
                loss = Losses.crossEntropy(logits, labels);
                gc.backward(loss);
            }
            opt.step(params);
            return loss.getFloat();
        }
    }

    /** The task's frozen head, fit on the pretrained encoder's features of its train split (see {@link ZooRecipe}). */
    Weights fitHead(ClipVit vit, Weights pretrained, TaskData task) {
        ImageSet shots = recipe.headShots() > 0 ? shots(task.train(), task.classCount(), recipe.headShots()) : task.train();
        int n = shots.count();
        int e = vit.config().embed();
        int c = task.classCount();
        float[] wv;
        float[] bv;
        try (NDManager m = Tensors.scope()) {
            float[] feats = Classifier.features(vit, pretrained::get, shots, m);
            if (recipe.head().equals("prototype")) {
                float[][] head = prototypeHead(feats, shots.labels(), n, e, c, recipe.headScale());
                wv = head[0];
                bv = head[1];
            } else {
                float[][] head = logisticHead(m, feats, task, n, e, c);
                wv = head[0];
                bv = head[1];
            }
        }
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        entries.put("weight", TensorEntry.floating("weight", DType.F32, new long[] {c, e}, mm -> mm.create(wv.clone(), new Shape(c, e))));
        entries.put("bias", TensorEntry.floating("bias", DType.F32, new long[] {c}, mm -> mm.create(bv.clone(), new Shape(c))));
        return new Weights(entries, Map.of("taulab.task", task.name(), "taulab.classes", String.join("\u001f", task.classes())), "head " + task.name());
    }

    /** The first {@code k} train images of every class, in a seeded order. */
    ImageSet shots(ImageSet train, int classes, int k) {
        int[] order = Splits.permutation(train.count(), recipe.seed() + 77);
        int[] taken = new int[classes];
        List<Integer> keep = new ArrayList<>();
        for (int i : order) {
            if (taken[train.labels()[i]]++ < k) {
                keep.add(i);
            }
        }
        return train.select(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Nearest centred class mean on normalized features: with μ̄ the mean normalized feature and d_c the unit
     * direction of μ_c − μ̄, {@code logits_c = s·d_c·(f̂ − μ̄)}, i.e. W = s·D and b = −s·D μ̄.
     */
    static float[][] prototypeHead(float[] feats, int[] labels, int n, int e, int c, double scale) {
        double[][] mu = new double[c][e];
        double[] all = new double[e];
        int[] count = new int[c];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int k = 0; k < e; k++) {
                norm += feats[i * e + k] * (double) feats[i * e + k];
            }
            norm = Math.sqrt(norm + 1e-12);
            for (int k = 0; k < e; k++) {
                double v = feats[i * e + k] / norm;
                mu[labels[i]][k] += v;
                all[k] += v / n;
            }
            count[labels[i]]++;
        }
        float[] w = new float[c * e];
        float[] b = new float[c];
        for (int j = 0; j < c; j++) {
            double len = 0;
            double[] d = new double[e];
            for (int k = 0; k < e; k++) {
                d[k] = mu[j][k] / Math.max(1, count[j]) - all[k];
                len += d[k] * d[k];
            }
            len = Math.sqrt(len + 1e-12);
            double dot = 0;
            for (int k = 0; k < e; k++) {
                w[j * e + k] = (float) (scale * d[k] / len);
                dot += d[k] / len * all[k];
            }
            b[j] = (float) (-scale * dot);
        }
        return new float[][] {w, b};
    }

    /** Multinomial logistic regression on the normalized features with a fixed logit scale (stored folded into W). */
    private float[][] logisticHead(NDManager m, float[] feats, TaskData task, int n, int e, int c) {
        NDArray x = m.create(feats, new Shape(n, e));
        NDArray y = m.create(java.util.Arrays.stream(task.train().labels()).asLongStream().toArray());
        NDArray weight = m.zeros(new Shape(c, e));
        NDArray bias = m.zeros(new Shape(c));
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
        try (AdamW opt = new AdamW(m, recipe.headLr(), 0.0)) {
            for (int s = 0; s < recipe.headSteps(); s++) {
                try (NDManager step = m.newSubManager()) {
                    Function<String, NDArray> p = ScopedParams.in(step, k -> k.equals("x") ? x : k.equals("w") ? weight : bias);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = ClassifierHead.logits(p.apply("x"), Tensors.mul(p.apply("w"), recipe.headScale()), p.apply("b"));
                        gc.backward(Losses.crossEntropy(logits, y));
                    }
                    opt.step(List.of(weight, bias));
                }
                progress.update("fitting head " + task.name(), s + 1, recipe.headSteps());
            }
        }
        float[] wv = weight.toFloatArray();
        for (int i = 0; i < wv.length; i++) {
            wv[i] *= (float) recipe.headScale();
        }
        return new float[][] {wv, bias.toFloatArray()};
    }

    Weights finetune(ClipVit vit, Weights pretrained, Weights head, TaskData task, int index, int count) {
        ImageSet train = task.train().first(recipe.finetuneLimit());
        NDManager root = Tensors.root();
        try (TrainableWeights w = TrainableWeights.from(root, pretrained);
             AdamW opt = new AdamW(root, recipe.finetuneLr(), recipe.weightDecay());
             NDManager hm = root.newSubManager()) {
            NDArray hw = head.compute("weight", hm);
            NDArray hb = head.compute("bias", hm);
            Random rnd = new Random(recipe.seed() + 5000L * (index + 1));
            long totalSteps = recipe.finetuneSteps();
            long step = 0;
            String label = "fine-tuning " + task.name() + " (" + (index + 1) + "/" + count + overall() + ")";
            for (int epoch = 0; step < totalSteps; epoch++) {
                ImageSet data = recipe.finetuneAugment() ? Augment.views(train, rnd, 0.85, 1.5, 0.15) : train;
                int[] order = Splits.permutation(train.count(), recipe.seed() + 1000L * (index + 1) + epoch);
                for (int from = 0; from < train.count() && step < totalSteps; from += recipe.batch()) {
                    int to = Math.min(train.count(), from + recipe.batch());
                    opt.learningRate(scheduled(recipe.finetuneLr(), recipe.warmup(), step, totalSteps));
                    float loss = trainStep(vit, w, opt, w.list(), data, order, from, to, m -> {
                        Function<String, NDArray> h = ScopedParams.in(m, n -> n.equals("w") ? hw : hb);
                        return new NDArray[] {h.apply("w"), h.apply("b")};
                    });
                    Divergence.check(loss, "fine-tuning " + task.name(), step + 1, totalSteps, "finetune_lr", recipe.finetuneLr());
                    unitsDone += to - from;
                    progress.update(label, ++step, totalSteps);
                }
            }
            return w.snapshot(task.name(), vit.config().metadata());
        }
    }
}
