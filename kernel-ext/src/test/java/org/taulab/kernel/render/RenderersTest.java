package org.taulab.kernel.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.taulab.repro.Claims;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;
import org.taulab.repro.Claim;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class RenderersTest {
    private static Renderer renderer() {
        Renderer r = new Renderer();
        Renderers.registerAll(r);
        return r;
    }

    @Test
    void arraysPrintTheirElementsAsJShellDoes() {
        assertEquals("int[3] { 1, 2, 3 }", text(new int[] {1, 2, 3}));
        assertEquals("double[0] {}", text(new double[0]));
        assertEquals("String[2] { \"a\", null }", text(new String[] {"a", null}));
        assertEquals("int[2][] { int[2] { 1, 2 }, int[1] { 3 } }", text(new int[][] {{1, 2}, {3}}));
        assertEquals("char[1] { 'x' }", text(new char[] {'x'}));
        String big = text(new long[250]);
        assertTrue(big.startsWith("long[250] { 0, 0,") && big.endsWith(", … (150 more) }"), big);
        assertEquals(100, big.chars().filter(c -> c == '0').count() - 2, "100 elements shown (the 250 and the 150 hold two zeros)");
    }

    private static String text(Object value) {
        return String.valueOf(Renderers.render(renderer(), value).getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void shortTablesAreWholeHtmlAndText() {
        Table t = Table.create("scores", IntColumn.create("task", 1, 2), DoubleColumn.create("acc", 0.5, 0.75));
        DisplayData d = Renderers.render(renderer(), t);
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<caption>scores</caption>"), html);
        assertTrue(html.contains("<th>acc</th>"));
        assertTrue(html.contains("<td>0.75</td>"), html);
        assertFalse(html.contains("more rows"));
        assertTrue(((String) d.getData(MIMEType.TEXT_PLAIN)).contains("0.75"));
    }

    @Test
    void longTablesShowTheirFirstRowsAndCountTheRest() {
        int[] n = new int[120];
        for (int i = 0; i < n.length; i++) {
            n[i] = i;
        }
        Table t = Table.create("long", IntColumn.create("i", n));
        String html = TableRenderer.html(t);
        assertEquals(TableRenderer.SHOWN_ROWS, html.split("<tr>", -1).length - 2);
        assertTrue(html.contains("<td>19</td>") && !html.contains("<td>20</td>"));
        assertTrue(html.contains("100 more rows (120 rows × 1 columns)"), html);
        assertTrue(TableRenderer.text(t).endsWith("… 100 more rows"));
    }

    @Test
    void chartsArePngsOfAReadableSize() throws Exception {
        XYChart chart = new XYChartBuilder().width(300).height(200).title("loss").build();
        chart.addSeries("a", new double[] {1, 2, 3}, new double[] {3, 1, 2});
        DisplayData d = Renderers.render(renderer(), chart);
        byte[] png = Base64.getDecoder().decode((String) d.getData(MIMEType.IMAGE_PNG));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(ChartRenderer.MIN_WIDTH, image.getWidth());
        assertEquals(320, image.getHeight());
        assertEquals("XYChart \"loss\"", d.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void weightsSummarizeTensorsAndCollapseBeyondTwentyRows() {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (int i = 0; i < 25; i++) {
            entries.put("t" + i, TensorEntry.floating("t" + i, DType.F16, new long[] {2, 2}, m -> m.ones(new ai.djl.ndarray.types.Shape(2, 2))));
        }
        String html = StateDictRenderer.html(new Weights(entries, Map.of(), "ft.safetensors"));
        assertTrue(html.contains("<b>Weights</b> <code>ft.safetensors</code>: 25 tensors, 100 float parameters, ‖·‖ = 10.00"), html);
        assertTrue(html.contains("<td style=\"text-align:left\">t0</td><td>F16</td><td>[2, 2]</td><td>2.000</td>"), html);
        int details = html.indexOf("<details><summary>5 more tensors</summary>");
        assertTrue(details > html.indexOf(">t19<") && details < html.indexOf(">t20<"), html);
    }

    @Test
    void claimsAreAnHtmlLineTextAndAMachineReadableBundle() {
        Claim c = Claims.check("cart-beats-ta", "CART beats TA (paper: 84.7 vs 69.1)", true, "ours: 61.2 vs 52.9");
        DisplayData d = Renderers.render(renderer(), c);
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertTrue(html.startsWith("<div class=\"taulab-claim\" data-claim-id=\"cart-beats-ta\" data-status=\"holds\""), html);
        assertTrue(html.contains(">✓</span> <code>cart-beats-ta</code> CART beats TA (paper: 84.7 vs 69.1)"), html);
        assertTrue(html.contains("— ours: 61.2 vs 52.9"), html);
        assertEquals("claim ✓ cart-beats-ta: CART beats TA (paper: 84.7 vs 69.1) — ours: 61.2 vs 52.9", d.getData(MIMEType.TEXT_PLAIN));
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) d.getData(MIMEType.parse(Claim.MIME_TYPE));
        assertEquals("cart-beats-ta", json.get("id"));
        assertEquals("holds", json.get("status"));
        assertEquals(Boolean.TRUE, json.get("holds"));
        assertEquals("ours: 61.2 vs 52.9", json.get("evidence"));

        String failing = ClaimRenderer.html(Claims.check("x-1", "a < b", false, "<b>"));
        assertTrue(failing.contains("data-status=\"fails\"") && failing.contains(">✗</span>"), failing);
        assertTrue(failing.contains("a &lt; b") && failing.contains("&lt;b&gt;"), failing);
        Map<String, Object> pending = Claims.pending("ada-cart", "AdaMerging+CART beats CART", "not available yet").toJson();
        assertEquals("pending", pending.get("status"));
        assertEquals(null, pending.get("holds"));
        assertTrue(ClaimRenderer.html(Claims.pending("p", "s", "r")).contains(">…</span>"));
    }

    @Test
    void claimIdsAreCheckedAndTheSummaryCountsOnlyCheckedClaims() {
        assertThrows(org.taulab.dsl.TauLabException.class, () -> Claims.check("Bad Id", "s", true, ""));
        java.util.List<Claim> claims = java.util.List.of(Claims.check("a", "s", true, ""), Claims.check("b", "s", false, ""),
                Claims.pending("c", "s", "later"));
        assertEquals("claims reproduced: 1 of 2", Claims.summary(claims));
        assertEquals(3, Claims.table("claims", claims).rowCount());
    }

    static final class Broken {
        @Override
        public String toString() {
            return "broken value";
        }
    }

    @Test
    void aFailingRendererFallsBackToText() {
        Renderer r = renderer();
        r.createRegistration(Broken.class).register((value, ctx) -> {
            throw new IllegalStateException("renderer bug");
        });
        DisplayData d = Renderers.render(r, new Broken());
        assertEquals("broken value\n(rich display failed: java.lang.IllegalStateException: renderer bug)", d.getData(MIMEType.TEXT_PLAIN));
    }
}
