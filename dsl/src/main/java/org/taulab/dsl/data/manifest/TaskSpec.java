package org.taulab.dsl.data.manifest;

import java.util.List;
import java.util.Map;

/**
 * How one benchmark task is derived from a dataset: relabelling, transforms, subsets, rendering. For generated
 * datasets: {@code perClass} samples per class ({@code testPerClass} more for patch tasks' test strip), crop sides
 * {@code minSide}..{@code maxSide} of the picture's height, {@code flanked} glyphs; {@code use} picks the
 * dataset's files (classes) by role, in that order (default: all); {@code grayscale} turns colour images gray
 * (luma, kept in every channel), so a task is about shape and texture rather than colour; {@code glyphsPerClass}
 * keeps that many of each glyph class's characters, evenly spaced over the ones its font can show (a class of a
 * few designs drawn many ways, as a traffic-sign class is, rather than a hundred designs seen once or twice).
 */
public record TaskSpec(String name, String dataset, String description, List<String> classes, Map<Integer, Integer> relabel,
                       List<String> transform, Integer trainLimit, Integer testLimit, Long subsetSeed, String characters,
                       String label, Integer jitters, Integer perClass,
                       Integer testPerClass, Double minSide, Double maxSide, Boolean flanked, List<String> use,
                       Boolean grayscale, Integer glyphsPerClass) {
    public long subsetSeedOrZero() {
        return subsetSeed == null ? 0 : subsetSeed;
    }
}
