package org.taulab.dsl.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.TauLabException;

/** A recipe is data: read from a file or a zoo.yaml over the standard recipe, then changed with KEY=VALUE. */
class ZooRecipesTest {
    @Test
    void fileThenSetsOverTheStandardRecipe(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.yaml");
        Files.writeString(f, "build:\n  benchmark: mosaic8\n  width: 96\n  finetune_lr: 0.0002\n");
        ZooRecipe r = ZooRecipes.of("nowhere", f, List.of("finetune_steps=42", "head_shots=16", "finetune_augment=false"));
        assertEquals("mosaic8", r.benchmark());
        assertEquals(96, r.width());
        assertEquals(2e-4, r.finetuneLr());
        assertEquals(42, r.finetuneSteps());
        assertEquals(16, r.headShots());
        assertEquals(false, r.finetuneAugment());
        assertEquals(ZooRecipe.standard().layers(), r.layers(), "unset keys keep the standard value");
    }

    @Test
    void aZooNotBuiltYetTakesTheRecipeBesideIt(@TempDir Path dir) throws Exception {
        Path zoo = dir.resolve("fresh");
        Files.createDirectories(zoo);
        Files.writeString(zoo.resolve(ZooRecipes.RECIPE_FILE), "benchmark: mosaic8\nwidth: 144\n");
        ZooRecipe r = ZooRecipes.of(zoo.toString(), null, List.of());
        assertEquals(144, r.width());
        assertEquals("mosaic8", r.benchmark());
    }

    @Test
    void badKeysAndValuesNameTheKey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.yaml");
        Files.writeString(f, "widht: 96\n");
        TauLabException e = assertThrows(TauLabException.class, () -> ZooRecipes.of("z", f, List.of()));
        assertTrue(e.getMessage().contains("unknown key 'widht'"), e.getMessage());
        e = assertThrows(TauLabException.class, () -> ZooRecipes.of("z", null, List.of()));
        assertTrue(e.getMessage().contains("no recipe"), e.getMessage());
        Files.writeString(f, "width: 96\n");
        e = assertThrows(TauLabException.class, () -> ZooRecipes.of("z", f, List.of("width=wide")));
        assertTrue(e.getMessage().contains("'width' must be a number"), e.getMessage());
        e = assertThrows(TauLabException.class, () -> ZooRecipes.of("z", f, List.of("width")));
        assertTrue(e.getMessage().contains("expected KEY=VALUE"), e.getMessage());
    }
}
