package org.taulab.kernel.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

class NotebookProgressTest {
    @Test
    void showsOnceThenUpdatesTheSameDisplayAtMostFourTimesASecond() {
        List<String> sent = new ArrayList<>();
        List<DisplayData> data = new ArrayList<>();
        long[] now = {0};
        NotebookProgress p = new NotebookProgress(new NotebookProgress.Sink() {
            @Override
            public void show(DisplayData d) {
                sent.add("show");
                data.add(d);
            }

            @Override
            public void update(DisplayData d) {
                sent.add("update");
                data.add(d);
            }
        }, () -> now[0]);
        for (int i = 0; i <= 100; i++) {
            now[0] = i * 10_000_000L;
            p.update("merge", i, 100);
        }
        assertEquals("show", sent.get(0));
        assertEquals(1 + 3 + 1, sent.size(), sent.toString()); // at 0 s; 0.25, 0.5, 0.75 s; done at 1 s
        assertTrue(sent.subList(1, sent.size()).stream().allMatch("update"::equals));
        assertTrue(data.stream().allMatch(d -> p.displayId().equals(d.getDisplayId())));
        DisplayData last = data.get(data.size() - 1);
        assertEquals("merge [##############################] 100/100", last.getData(MIMEType.TEXT_PLAIN));
        assertTrue(((String) last.getData(MIMEType.TEXT_HTML)).contains("<progress value=\"100\" max=\"100\""));
    }
}
