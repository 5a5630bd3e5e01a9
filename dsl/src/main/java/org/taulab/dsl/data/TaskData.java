package org.taulab.dsl.data;

import java.util.List;

/** One classification task of a benchmark with its train / val / test splits. */
public record TaskData(String name, String description, List<String> classes, ImageSet train, ImageSet val, ImageSet test) {
    public int classCount() {
        return classes.size();
    }

    public ImageSet split(String name) {
        return switch (name) {
            case "train" -> train;
            case "val" -> val;
            case "test" -> test;
            default -> throw new org.taulab.dsl.TauLabException("unknown split '" + name + "' (train, val, test)");
        };
    }
}
