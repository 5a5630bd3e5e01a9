package org.taulab.dsl.data.manifest;

import java.util.List;

/**
 * A benchmark: its tasks and how every task is split into train / val / test. With {@code imageSize} and
 * {@code channels} every task's images are brought to that format (grayscale replicated, resized); without,
 * each task keeps its source's format. {@code testMax} caps every task's test split.
 */
public record BenchmarkManifest(String name, String kind, long splitSeed, double valFraction, int valMax, double testFraction,
                                Integer testMax, Integer imageSize, Integer channels, List<TaskSpec> tasks) {
}
