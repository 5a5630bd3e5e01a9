package org.taulab.dsl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The captioned pool of the captioned pretext: what each caption names, how many renders, and that they are fresh. */
class CaptionedGlyphsTest {
    @Test
    void everyStyleContributesItsCharactersEachAsOneCaptionWithEqualRenders() {
        CaptionedImages c = BenchmarkData.captionedGlyphs("mosaic8", "scripts", 400, 4, 5);
        TaskData task = BenchmarkData.task("mosaic8", "scripts");
        // four evenly spaced characters of each font of a script: fonts showing different sets add their own
        int n = c.captions().size();
        assertEquals(new HashSet<>(c.captions()).size(), n, "captions are distinct");
        List<String> styles = c.captions().stream().map(x -> x.split(" ")[0]).distinct().toList();
        assertEquals(task.classes(), styles, "every script, in the task's order");
        for (String style : styles) {
            assertTrue(c.captions().stream().filter(x -> x.startsWith(style + " ")).count() >= 4, style);
        }
        int per = (int) Math.round(400.0 / n);
        int[] count = new int[n];
        Arrays.stream(c.images().labels()).forEach(l -> count[l]++);
        int[] expected = new int[n];
        Arrays.fill(expected, per);
        assertArrayEquals(expected, count);
        assertEquals(task.train().channels(), c.images().channels());
        assertEquals(task.train().height(), c.images().height());
    }

    @Test
    void charactersLabelledTasksCaptionTheirCharactersAndOtherTasksHaveNone() {
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                BenchmarkData.captionedGlyphs("mosaic8", "house-numbers", 50, 4, 1).captions());
        assertTrue(BenchmarkData.captionedGlyphs("mosaic8", "fashion", 50, 4, 1).isEmpty());
    }

    @Test
    void rendersAreSeededAndNoneIsAnImageOfTheTask() {
        ImageSet a = BenchmarkData.captionedGlyphs("mosaic8", "symbols", 200, 2, 9).images();
        assertArrayEquals(a.pixels(), BenchmarkData.captionedGlyphs("mosaic8", "symbols", 200, 2, 9).images().pixels());
        assertFalse(Arrays.equals(a.pixels(), BenchmarkData.captionedGlyphs("mosaic8", "symbols", 200, 2, 10).images().pixels()));
        TaskData task = BenchmarkData.task("mosaic8", "symbols");
        Set<Integer> seen = new HashSet<>();
        int p = task.train().pixelsPerImage();
        for (ImageSet split : List.of(task.train(), task.val(), task.test())) {
            for (int i = 0; i < split.count(); i++) {
                seen.add(Arrays.hashCode(Arrays.copyOfRange(split.pixels(), i * p, (i + 1) * p)));
            }
        }
        for (int i = 0; i < a.count(); i++) {
            assertFalse(seen.contains(Arrays.hashCode(Arrays.copyOfRange(a.pixels(), i * p, (i + 1) * p))), "render " + i + " is a task image");
        }
    }
}
