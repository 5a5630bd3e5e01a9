package org.taulab.dsl.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.Progress;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.data.Splits;
import org.taulab.dsl.data.TaskData;
import org.taulab.dsl.model.Classifier;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;

/**
 * Everything coefficient learning needs from a zoo: the pretrained and fine-tuned encoders, the frozen heads,
 * and per task the images steps draw from (val by default; test inputs only for the transductive protocol,
 * never their labels; a seeded subset of at most 1,000 per task, which bounds the epochs of single-task runs) and
 * the images every epoch is judged on (a seeded subset of val, at most 500 per task). Quick mode caps both lower
 * for tests and previews; the code paths stay the same.
 */
public final class LearnSetup {
    public static final int EVAL_LIMIT = 500;
    public static final int TRAIN_LIMIT = 1000;
    public static final int QUICK_TRAIN_LIMIT = 96;
    public static final int QUICK_EVAL_LIMIT = 128;

    private final ZooEvaluator evaluator;
    private final Weights pretrained;
    private final Map<String, Weights> finetuned;
    private final int trainLimit;
    private final int evalLimit;
    private final boolean transductive;
    private final boolean quick;
    private final Progress progress;
    private final Map<String, Double> individualVal = new LinkedHashMap<>();
    private Map<String, Double> pretrainedVal;

    private LearnSetup(Zoo zoo, boolean quick, boolean transductive, Progress progress) {
        this.evaluator = ZooEvaluator.of(zoo);
        this.pretrained = zoo.pretrained();
        this.finetuned = zoo.finetuned();
        this.quick = quick;
        this.trainLimit = quick ? QUICK_TRAIN_LIMIT : TRAIN_LIMIT;
        this.evalLimit = quick ? QUICK_EVAL_LIMIT : EVAL_LIMIT;
        this.transductive = transductive;
        this.progress = progress;
    }

    /** A setup reporting to whatever progress the session has at the time (the kernel sets one per cell). */
    public static LearnSetup of(Zoo zoo, boolean quick) {
        return new LearnSetup(zoo, quick, false, (label, done, total) -> Progress.session().update(label, done, total));
    }

    public static LearnSetup of(Zoo zoo, boolean quick, boolean transductive, Progress progress) {
        return new LearnSetup(zoo, quick, transductive, progress);
    }

    public boolean quick() {
        return quick;
    }

    public Progress progress() {
        return progress;
    }

    public ClipVit vit() {
        return evaluator.vit();
    }

    public ZooEvaluator evaluator() {
        return evaluator;
    }

    public Weights pretrained() {
        return pretrained;
    }

    public List<String> taskNames() {
        return new ArrayList<>(finetuned.keySet());
    }

    public Weights finetuned(String task) {
        Weights w = finetuned.get(task);
        if (w == null) {
            throw new TauLabException(org.taulab.dsl.zoo.TaskMap.noTask(evaluator.zoo().name(), task, finetuned.keySet()));
        }
        return w;
    }

    public List<Weights> finetuned(List<String> tasks) {
        List<Weights> out = new ArrayList<>();
        for (String t : tasks) {
            out.add(finetuned(t));
        }
        return out;
    }

    /** The learning view of the named tasks, each with its loss (entropy when {@code unsupervised}). */
    public List<LearnTask> tasks(List<String> names, boolean unsupervised) {
        List<LearnTask> out = new ArrayList<>();
        for (String name : names) {
            finetuned(name);
            TaskData data = data(name);
            ImageSet train = transductive ? data.test().withLabels(new int[data.test().count()]) : data.val();
            if (transductive && !unsupervised) {
                throw new TauLabException("task " + name + ": the transductive protocol adapts on test inputs, which needs the unsupervised loss");
            }
            out.add(new LearnTask(name, limit(train, trainLimit, 11), evalSet(data), evaluator.headWeight(name),
                    evaluator.headBias(name), 1.0, unsupervised));
        }
        return out;
    }

    /** Val accuracy of {@code encoder} on the eval subsets of the named tasks. */
    public Map<String, Double> valAccuracy(Weights encoder, List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, Classifier.accuracy(vit(), encoder::get, evaluator.headWeight(name), evaluator.headBias(name), evalSet(data(name))));
        }
        return out;
    }

    /** Test accuracy (full test split) of {@code encoder} on the named tasks; quick mode uses the eval-sized prefix. */
    public Map<String, Double> testAccuracy(Weights encoder, List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            ImageSet test = data(name).test();
            out.put(name, Classifier.accuracy(vit(), encoder::get, evaluator.headWeight(name), evaluator.headBias(name),
                    quick ? test.first(Math.min(test.count(), 4 * QUICK_EVAL_LIMIT)) : test));
        }
        return out;
    }

    /** Each fine-tuned model's accuracy on its own task's eval subset (what val accuracies are normalized by). */
    public synchronized Map<String, Double> individualVal() {
        for (String t : taskNames()) {
            individualVal.computeIfAbsent(t, k -> valAccuracy(finetuned(k), List.of(k)).get(k));
        }
        return individualVal;
    }

    /** The pretrained model's val accuracy per task (task negation's control floor). */
    public synchronized Map<String, Double> pretrainedVal() {
        if (pretrainedVal == null) {
            pretrainedVal = valAccuracy(pretrained, taskNames());
        }
        return pretrainedVal;
    }

    private TaskData data(String name) {
        for (TaskData t : evaluator.data()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new TauLabException("zoo " + evaluator.zoo().name() + " has no task '" + name + "'");
    }

    private ImageSet evalSet(TaskData data) {
        return limit(data.val(), evalLimit, 5);
    }

    /** A seeded random subset of at most {@code limit} images (0 = all). */
    private static ImageSet limit(ImageSet set, int limit, long seed) {
        if (limit <= 0 || set.count() <= limit) {
            return set;
        }
        int[] pick = java.util.Arrays.copyOf(Splits.permutation(set.count(), seed), limit);
        java.util.Arrays.sort(pick);
        return set.select(pick);
    }
}
