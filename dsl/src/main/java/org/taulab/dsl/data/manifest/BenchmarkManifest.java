package org.taulab.dsl.data.manifest;

import java.util.List;

/** A benchmark: its tasks and how every task is split into train / val / test. */
public record BenchmarkManifest(String name, String kind, long splitSeed, double valFraction, int valMax, double testFraction,
                                List<TaskSpec> tasks) {
}
