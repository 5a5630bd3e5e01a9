package org.taulab.dsl.data.manifest;

import java.util.List;
import java.util.Map;

/** How one benchmark task is derived from a dataset: relabelling, transforms, subsets, rendering. */
public record TaskSpec(String name, String dataset, String description, List<String> classes, Map<Integer, Integer> relabel,
                       List<String> transform, Integer trainLimit, Integer testLimit, Long subsetSeed, String characters,
                       String label, Integer jitters) {
    public long subsetSeedOrZero() {
        return subsetSeed == null ? 0 : subsetSeed;
    }
}
