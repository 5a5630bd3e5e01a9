package org.taulab.dsl.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.tensor.Weights;

class TaskMapTest {
    @Test
    void aMisspeltTaskIsNamedWithTheTasksAndTheClosestOne() {
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("digits", 1);
        values.put("fashion", 2);
        values.put("glyph-letters", 3);
        TaskMap<Integer> m = new TaskMap<>("z", values);
        assertEquals(2, m.get("fashion"));
        TauLabException e = assertThrows(TauLabException.class, () -> m.get("fashon"));
        assertEquals("zoo z has no task 'fashon' (tasks: digits, fashion, glyph-letters; did you mean 'fashion'?)", e.getMessage());
        TauLabException far = assertThrows(TauLabException.class, () -> m.get("cifar10"));
        assertEquals("zoo z has no task 'cifar10' (tasks: digits, fashion, glyph-letters)", far.getMessage());
        assertFalse(m.containsKey("fashon"));
        assertNull(m.getOrDefault("fashon", null));
        assertEquals(List.of("digits", "fashion", "glyph-letters"), List.copyOf(m.keySet()), "task order kept");
    }

    @Test
    void editDistanceByHand() {
        assertEquals(0, TaskMap.editDistance("abc", "abc"));
        assertEquals(1, TaskMap.editDistance("fashon", "fashion"));
        assertEquals(3, TaskMap.editDistance("kitten", "sitting"));
        assertEquals(4, TaskMap.editDistance("", "abcd"));
    }

    @Test
    void theCommittedZoosFinetunedModelsAnswerAMisspeltTaskByName() {
        Zoo zoo = Zoo.open("mini8");
        Map<String, Weights> ft = zoo.finetuned();
        TauLabException e = assertThrows(TauLabException.class, () -> ft.get("fashon"));
        assertTrue(e.getMessage().startsWith("zoo mini8 has no task 'fashon' (tasks: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("did you mean 'fashion'?)"), e.getMessage());
    }
}
