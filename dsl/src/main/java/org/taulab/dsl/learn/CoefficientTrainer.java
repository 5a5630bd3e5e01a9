package org.taulab.dsl.learn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.taulab.dsl.Progress;
import org.taulab.dsl.data.Splits;
import org.taulab.dsl.model.Classifier;
import org.taulab.dsl.model.ClassifierHead;
import org.taulab.dsl.model.ClipVit;
import org.taulab.dsl.tensor.Tensors;
import org.taulab.dsl.train.AdamW;
import org.taulab.dsl.train.Batches;
import org.taulab.dsl.train.Losses;

/**
 * Learns the coefficients of a {@link CoefficientModel}: every step draws one batch per task (round-robin over
 * the tasks, each from its own shuffled order), minimizes {@code Σ_t sign_t · L_t} (or steps along MGDA's
 * min-norm combination of the per-task gradients), and after every epoch measures val accuracy, records the
 * epoch in the history and keeps the best admissible coefficients. An epoch is one pass over the smallest
 * task's training images.
 */
public final class CoefficientTrainer {
    private final ClipVit vit;
    private final List<LearnTask> tasks;
    private final Map<String, Double> individual;
    private final Progress progress;

    public CoefficientTrainer(ClipVit vit, List<LearnTask> tasks, Map<String, Double> individual, Progress progress) {
        this.vit = vit;
        this.tasks = List.copyOf(tasks);
        this.individual = individual;
        this.progress = progress;
    }

    /** What one run kept: the coefficients, their val accuracies and score, or {@code null} coefficients when no epoch was admissible. */
    public record Outcome(float[] coefficients, Map<String, Double> val, double score, int epoch) {
    }

    public int stepsPerEpoch(int batch) {
        int smallest = tasks.stream().mapToInt(t -> t.train().count()).min().orElse(0);
        return Math.max(1, smallest / batch);
    }

    public Outcome train(CoefficientModel model, TrainConfig config, Selection selection, int iteration, History history,
                         String label, long startNanos) {
        int perEpoch = stepsPerEpoch(config.batch());
        int epochs = config.maxSteps() > 0 ? (config.maxSteps() + perEpoch - 1) / perEpoch : config.epochs();
        long totalSteps = config.maxSteps() > 0 ? config.maxSteps() : (long) epochs * perEpoch;
        long step = 0;
        Outcome best = null;
        int sinceBest = 0;
        try (AdamW opt = new AdamW(Tensors.root(), config.lr(), config.weightDecay())) {
            for (int epoch = 1; epoch <= epochs && step < totalSteps; epoch++) {
                long[] counter = {step};
                double meanLoss = epoch(model, config, opt, iteration, epoch, (int) Math.min(perEpoch, totalSteps - step),
                        () -> progress.update(label, ++counter[0], totalSteps));
                step = counter[0];
                Map<String, Double> val = evaluate(model);
                boolean admissible = selection.admissible(val);
                double score = selection.score(val);
                history.add(new EpochRecord(iteration, epoch, step, meanLoss, val, mean(val), normalized(val),
                        norm(model.coefficientNorms()), (System.nanoTime() - startNanos) / 1e9));
                if (admissible && (best == null || score > best.score())) {
                    best = new Outcome(model.coefficientValues(), val, score, history.size() - 1);
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                if (config.patience() > 0 && sinceBest >= config.patience()) {
                    break;
                }
            }
        }
        if (!config.keepBest()) {
            int last = history.size() - 1;
            EpochRecord r = history.epochs().get(last);
            best = selection.admissible(r.val()) ? new Outcome(model.coefficientValues(), r.val(), selection.score(r.val()), last) : null;
        }
        if (best != null) {
            history.markKept(best.epoch());
            model.setCoefficients(best.coefficients());
        }
        return best;
    }

    /**
     * {@code steps} optimizer steps of one epoch (no evaluation), each drawing the next batch of every task from
     * the epoch's seeded order; returns the mean loss. {@code afterStep} runs after each step.
     */
    public double epoch(CoefficientModel model, TrainConfig config, AdamW opt, int iteration, int epoch, int steps, Runnable afterStep) {
        List<int[]> orders = orders(config, iteration, epoch);
        List<NDArray> params = List.of(model.coefficients());
        double lossSum = 0;
        for (int s = 0; s < steps; s++) {
            lossSum += config.moo() ? mooStep(model, orders, s, config.batch()) : jointStep(model::parameters, orders, s, config.batch());
            opt.step(params);
            afterStep.run();
        }
        return lossSum / steps;
    }

    /**
     * The same epoch's forward and backward passes through a plain encoder (whose tensors may record gradients
     * themselves), with no coefficients and no optimizer: the benchmark's reference for the parameterization's cost.
     */
    public double plainEpoch(Function<NDManager, Function<String, NDArray>> encoder, TrainConfig config, int iteration, int epoch, int steps) {
        List<int[]> orders = orders(config, iteration, epoch);
        double lossSum = 0;
        for (int s = 0; s < steps; s++) {
            lossSum += jointStep(encoder, orders, s, config.batch());
        }
        return lossSum / steps;
    }

    private List<int[]> orders(TrainConfig config, int iteration, int epoch) {
        List<int[]> orders = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            orders.add(Splits.permutation(tasks.get(t).train().count(), config.seed() * 1_000_003L + iteration * 7919L + epoch * 131L + t));
        }
        return orders;
    }

    /** One forward pass over every task's batch at once (the encoder sees them as one batch), one backward. */
    private double jointStep(Function<NDManager, Function<String, NDArray>> encoder, List<int[]> orders, int s, int batch) {
        try (NDManager m = Tensors.scope()) {
            List<NDArray> images = new ArrayList<>();
            for (int t = 0; t < tasks.size(); t++) {
                images.add(batchImages(m, t, orders.get(t), s, batch));
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray features = vit.features(encoder.apply(m), NDArrays.concat(new NDList(images), 0));
                NDArray loss = null;
                long offset = 0;
                for (int t = 0; t < tasks.size(); t++) {
                    long n = images.get(t).getShape().get(0);
                    NDArray part = taskLoss(m, t, features.get(offset + ":" + (offset + n)), orders.get(t), s, batch);
                    loss = loss == null ? part : loss.add(part);
                    offset += n;
                }
                gc.backward(loss);
                return loss.getFloat();
            }
        }
    }

    /** One forward and backward pass per task; the step follows the min-norm convex combination of their gradients. */
    private double mooStep(CoefficientModel model, List<int[]> orders, int s, int batch) {
        int n = tasks.size();
        float[][] grads = new float[n][];
        double loss = 0;
        NDArray coefficients = model.coefficients();
        for (int t = 0; t < n; t++) {
            try (NDManager m = Tensors.scope()) {
                NDArray images = batchImages(m, t, orders.get(t), s, batch);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray part = taskLoss(m, t, vit.features(model.parameters(m), images), orders.get(t), s, batch);
                    gc.backward(part);
                    loss += part.getFloat();
                }
                NDArray g = coefficients.getGradient();
                g.attach(m);
                grads[t] = g.toFloatArray();
                g.muli(0);
            }
        }
        double[][] gram = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double d = 0;
                for (int k = 0; k < grads[a].length; k++) {
                    d += grads[a][k] * (double) grads[b][k];
                }
                gram[a][b] = d;
                gram[b][a] = d;
            }
        }
        double[] w = MinNormSolver.solve(gram);
        float[] combined = new float[grads[0].length];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < combined.length; k++) {
                combined[k] += (float) (w[t] * grads[t][k]);
            }
        }
        try (NDManager m = Tensors.scope()) {
            NDArray g = coefficients.getGradient();
            g.attach(m);
            g.muli(0).addi(m.create(combined, g.getShape()));
        }
        return loss;
    }

    private NDArray batchImages(NDManager m, int t, int[] order, int s, int batch) {
        int[] window = window(tasks.get(t), order, s, batch);
        return Batches.images(m, tasks.get(t).train(), order, window[0], window[1]);
    }

    private NDArray taskLoss(NDManager m, int t, NDArray features, int[] order, int s, int batch) {
        LearnTask task = tasks.get(t);
        NDArray logits = ClassifierHead.logits(features, scoped(m, task.headWeight()), task.headBias() == null ? null : scoped(m, task.headBias()));
        NDArray loss;
        if (task.unsupervised()) {
            loss = Losses.entropy(logits);
        } else {
            int[] window = window(task, order, s, batch);
            loss = Losses.crossEntropy(logits, Batches.labels(m, task.train(), order, window[0], window[1]));
        }
        return task.sign() == 1 ? loss : Tensors.mul(loss, task.sign());
    }

    private static NDArray scoped(NDManager m, NDArray a) {
        return org.taulab.dsl.model.ScopedParams.in(m, name -> a).apply("");
    }

    /** The batch of step {@code s} in a task's shuffled order (an epoch has at most the smallest task's count / batch steps). */
    private static int[] window(LearnTask task, int[] order, int s, int batch) {
        int from = s * batch;
        return new int[] {from, Math.min(task.train().count(), from + batch)};
    }

    /** Accuracy of the current coefficients on every task's eval images. */
    public Map<String, Double> evaluate(CoefficientModel model) {
        return org.taulab.dsl.train.NoGrad.run(() -> {
            try (NDManager m = Tensors.scope()) {
                Function<String, NDArray> params = model.parameters(m);
                for (String name : model.tensorNames()) {
                    params.apply(name);
                }
                return evaluate(params);
            }
        });
    }

    /** Accuracy of an encoder on every task's eval images. */
    public Map<String, Double> evaluate(Function<String, NDArray> encoder) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (LearnTask t : tasks) {
            out.put(t.name(), Classifier.accuracy(vit, encoder, t.headWeight(), t.headBias(), t.eval()));
        }
        return out;
    }

    double normalized(Map<String, Double> val) {
        return Selection.normalized(individual).score(val);
    }

    static double mean(Map<String, Double> val) {
        return val.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double norm(double[] norms) {
        double s = 0;
        for (double n : norms) {
            s += n * n;
        }
        return Math.sqrt(s);
    }
}
