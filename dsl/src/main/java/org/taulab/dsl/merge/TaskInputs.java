package org.taulab.dsl.merge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.ImageSet;
import org.taulab.dsl.data.Raster;
import org.taulab.dsl.data.Splits;
import org.taulab.dsl.data.TaskData;
import org.taulab.dsl.model.VitConfig;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.zoo.Zoo;

/**
 * The unlabeled inputs that data-based merges (RegMean, Fisher) read: for each fine-tuned model, {@code samples}
 * images of its task's <em>val</em> split in a zoo (never train or test), in a fixed seeded order, conformed to the
 * encoder's input size and channels. Model t's task is the zoo task named like the input (the fine-tuned file's
 * stem), or the t-th name of {@code tasks}.
 */
record TaskInputs(Zoo zoo, List<String> tasks, List<ImageSet> images) {
    static final ParamSpec ZOO = ParamSpec.text("zoo", Zoo.DEFAULT, "the zoo whose val images are the inputs (a name under zoo/ or a directory)");
    static final ParamSpec SAMPLES = ParamSpec.integer("samples", 256, 1, 1_000_000, "val images per task");
    static final ParamSpec TASKS = ParamSpec.text("tasks", "the zoo task of each model, comma-separated (default: the models' names)");

    static TaskInputs of(String method, MergeInputs in, String zooName, int samples, String taskList) {
        Zoo zoo;
        try {
            zoo = Zoo.open(zooName);
        } catch (TauLabException e) {
            throw new BadParameter(method, ZOO, zooName, "names no zoo (" + e.getMessage() + ")");
        }
        List<String> names = taskList == null ? in.tasks() : Arrays.stream(taskList.split(",")).map(String::strip).toList();
        if (names.size() != in.count()) {
            throw new BadParameter(method, TASKS, taskList, "names " + names.size() + " tasks for " + in.count() + " models");
        }
        VitConfig config = VitConfig.of(in.finetuned().get(0));
        List<TaskData> data = zoo.data();
        List<ImageSet> images = new ArrayList<>();
        for (String task : names) {
            TaskData t = data.stream().filter(d -> d.name().equals(task)).findFirst().orElseThrow(() -> new BadParameter(method,
                    taskList == null ? ZOO : TASKS, taskList == null ? zooName : taskList,
                    "has no task '" + task + "' for that model (its tasks: " + String.join(", ", zoo.tasks()) + ")"));
            int[] order = Splits.permutation(t.val().count(), 2024);
            ImageSet val = t.val().select(Arrays.copyOf(order, Math.min(samples, order.length)));
            images.add(Raster.conform(val, config.channels(), config.image()));
        }
        return new TaskInputs(zoo, names, images);
    }

    /** Adds the inputs' parameters to a merge's parameters ({@code tasks} only when given). */
    static void put(Map<String, Object> parameters, String zoo, int samples, String tasks) {
        parameters.put(ZOO.name(), zoo);
        parameters.put(SAMPLES.name(), samples);
        if (tasks != null) {
            parameters.put(TASKS.name(), tasks);
        }
    }

    /** The frozen head of model t's task. */
    Weights head(int t) {
        return zoo.head(tasks.get(t));
    }
}
