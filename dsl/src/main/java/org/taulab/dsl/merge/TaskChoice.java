package org.taulab.dsl.merge;

import java.util.Map;

/**
 * The {@code task} parameter of merges that write one task's model (EMR, CART-Indexing): the name of one input,
 * the fine-tuned file's stem on the command line.
 */
final class TaskChoice {
    static final ParamSpec TASK = ParamSpec.text("task", "the task whose model to write: one input's name (the fine-tuned file's stem)");

    private TaskChoice() {
    }

    /** The index of {@code task} among the inputs; a missing or unknown name is a bad parameter listing them. */
    static int index(String method, MergeInputs in, String task) {
        String tasks = " (tasks: " + String.join(", ", in.tasks()) + ")";
        if (task == null) {
            throw new BadParameter(method, TASK, null, "is needed: " + method + " writes one task's model" + tasks);
        }
        int t = in.tasks().indexOf(task);
        if (t < 0) {
            throw new BadParameter(method, TASK, task, "names no input" + tasks);
        }
        return t;
    }

    /** Adds the task to a merge's parameters when one was given. */
    static Map<String, Object> with(Map<String, Object> parameters, String task) {
        if (task != null) {
            parameters.put("task", task);
        }
        return parameters;
    }
}
