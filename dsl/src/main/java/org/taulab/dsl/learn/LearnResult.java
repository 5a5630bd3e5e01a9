package org.taulab.dsl.learn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.taulab.dsl.tensor.Weights;
import tech.tablesaw.api.Table;

/**
 * What a learned merge produced: the final weights (the best by val), the parameters it ran with, the
 * per-epoch history, the val accuracies of its starting point and of the result, and the weights after each
 * outer iteration ({@code iterates}: θ_0, θ_1, …, θ_M for DV-BASI; θ_0 and the result for single-stage methods).
 */
public record LearnResult(String method, Map<String, Object> parameters, Weights weights, History history,
                          Map<String, Double> initialVal, Map<String, Double> finalVal, java.util.List<Weights> iterates) {

    public Table table() {
        return history.table(method + " history");
    }

    /** Val normalized accuracy per epoch, one series per outer iteration, starting from θ_0 (the paper's Figure 2). */
    public XYChart plot() {
        return HistoryChart.of(this);
    }

    public double initialValAccuracy() {
        return CoefficientTrainer.mean(initialVal);
    }

    public double finalValAccuracy() {
        return CoefficientTrainer.mean(finalVal);
    }

    /** The metadata written with the weights: method and parameters as JSON. */
    public static Map<String, String> metadata(String method, Map<String, Object> parameters) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("taulab.method", method);
        Map<String, Object> printable = new LinkedHashMap<>();
        parameters.forEach((k, v) -> printable.put(k, v == null || v instanceof Number || v instanceof Boolean ? v : v.toString()));
        try {
            meta.put("taulab.parameters", new ObjectMapper().writeValueAsString(printable));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return meta;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %s: val accuracy %.2f%% -> %.2f%% over %d epochs", method, parameters,
                100 * initialValAccuracy(), 100 * finalValAccuracy(), history.size());
    }
}
