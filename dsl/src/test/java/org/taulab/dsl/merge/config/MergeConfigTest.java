package org.taulab.dsl.merge.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.merge.MergeCatalogue;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.tensor.TensorEntry;
import org.taulab.dsl.tensor.Weights;

/** A merge config runs as its fields say, per tensor; every wrong field is one line naming the file, line and field. */
class MergeConfigTest {
    @TempDir
    Path dir;

    private static final List<String> NAMES = List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
            "model.layers.0.mlp.up_proj.weight", "model.layers.1.self_attn.q_proj.weight", "model.layers.1.mlp.up_proj.weight",
            "model.layers.2.self_attn.q_proj.weight", "model.layers.2.mlp.up_proj.weight", "model.norm.weight");

    /** A Llama-named model whose tensor i holds (v + i, v − i). */
    private Path model(String name, float v) {
        Map<String, TensorEntry> e = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            float[] x = {v + i, v - i};
            e.put(NAMES.get(i), TensorEntry.floating(NAMES.get(i), DType.F32, new long[] {2}, m -> m.create(x.clone(), new Shape(2))));
        }
        Path p = dir.resolve(name + ".safetensors");
        new Weights(e, Map.of(), name).save(p);
        return p;
    }

    private Path yaml(String text) throws Exception {
        return Files.writeString(dir.resolve("merge.yaml"), text);
    }

    @Test
    void depthsAndGradientsByHand() {
        Map<String, TensorPlace> places = TensorPlace.of(NAMES);
        assertEquals(0, places.get("model.embed_tokens.weight").depth(), 0, "before the first layer");
        assertEquals(0, places.get("model.layers.0.mlp.up_proj.weight").depth(), 0);
        assertEquals(0.5, places.get("model.layers.1.self_attn.q_proj.weight").depth(), 0);
        assertEquals(1, places.get("model.layers.2.mlp.up_proj.weight").depth(), 0);
        assertEquals(1, places.get("model.norm.weight").depth(), 0, "after the last layer");
        ParamValue g = new ParamValue.Gradient(List.of(0.2, 0.4, 1.0));
        assertEquals(0.2, (double) g.at(new TensorPlace("a", 0)), 1e-12);
        assertEquals(0.4, (double) g.at(new TensorPlace("a", 0.5)), 1e-12);
        assertEquals(0.7, (double) g.at(new TensorPlace("a", 0.75)), 1e-12);  // halfway from 0.4 to 1.0
        assertEquals(1.0, (double) g.at(new TensorPlace("a", 1)), 1e-12);
        assertEquals(7, TensorPlace.layer("transformer.resblocks.7.attn.in_proj_weight"));
    }

    @Test
    void taskArithmeticWithWeightsGradientsAndFiltersByHand() throws Exception {
        model("pre", 1);
        model("a", 3);   // τ_a = 2 everywhere
        model("b", 0);   // τ_b = −1 everywhere
        MergeConfig c = MergeConfig.read(yaml("""
                merge_method: task-arithmetic
                base_model: pre.safetensors
                models:
                  - model: pre.safetensors
                  - model: a.safetensors
                    parameters: {weight: [0.0, 1.0]}
                  - model: b.safetensors
                parameters:
                  lambda:
                    - filter: "self_attn"
                      value: 0.5
                    - value: 0.25
                """));
        assertEquals(2, c.models().size(), "the base listed among the models is skipped");
        Weights merged = ConfiguredMerge.run(c, c.method(null));
        Weights pre = Weights.load(dir.resolve("pre.safetensors"));
        Map<String, TensorPlace> places = TensorPlace.of(NAMES);
        for (String name : NAMES) {
            double wa = places.get(name).depth();                 // a's weight: the gradient 0 → 1 across the layers
            double wb = name.contains("self_attn") ? 0.5 : 0.25;  // b takes the global λ of its tensor
            float[] p = pre.get(name).toFloatArray();
            float[] expected = {(float) (p[0] + wa * 2 - wb), (float) (p[1] + wa * 2 - wb)};
            assertArrayEquals(expected, merged.get(name).toFloatArray(), 1e-6f, name);
        }
        assertTrue(merged.metadata().get("taulab.config").contains("filter: \"self_attn\""));
    }

    @Test
    void mergekitsDensityMeansWhatTheCatalogueCallsTopkAndOneMinusDrop() throws Exception {
        Path pre = model("pre", 1);
        Path a = model("a", 3);
        Path b = model("b", -2);
        MergeInputs in = new MergeInputs(Weights.load(pre), List.of(Weights.load(a), Weights.load(b)), List.of("a", "b"));
        MergeConfig ties = MergeConfig.read(yaml("merge_method: ties\nbase_model: pre.safetensors\nmodels:\n  - model: a.safetensors\n"
                + "  - model: b.safetensors\nparameters:\n  density: 0.5\n  scope: tensor\n"));
        Weights direct = MergeCatalogue.require("ties").create(Map.of("topk", 0.5, "scope", "tensor")).merge(in);
        Weights fromConfig = ConfiguredMerge.run(ties, ties.method(null));
        MergeConfig dare = MergeConfig.read(yaml("merge_method: dare\nbase_model: pre.safetensors\nmodels:\n  - model: a.safetensors\n"
                + "  - model: b.safetensors\nparameters:\n  density: 0.75\n  seed: 3\n"));
        Weights dareDirect = MergeCatalogue.require("dare").create(Map.of("drop", 0.25, "seed", 3)).merge(in);
        Weights dareConfig = ConfiguredMerge.run(dare, dare.method(null));
        for (String name : NAMES) {
            assertArrayEquals(direct.get(name).toFloatArray(), fromConfig.get(name).toFloatArray(), 0f, name);
            assertArrayEquals(dareDirect.get(name).toFloatArray(), dareConfig.get(name).toFloatArray(), 0f, name);
        }
    }

    @Test
    void wrongFieldsAreOneLineNamingFileLineAndField() throws Exception {
        model("pre", 1);
        model("a", 3);
        String head = "merge_method: ties\nbase_model: pre.safetensors\nmodels:\n  - model: a.safetensors\n";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(head + "parameters:\n  densty: 0.2\n", ":6: parameters.densty: is not a parameter of ties (parameters: topk, lambda, scope, lines_alpha, lines_beta)");
        cases.put(head + "parameters:\n  density: 1.5\n", ":6: parameters.density: must be in [0, 1], got '1.5'");
        cases.put(head + "parameters:\n  lambda:\n    - filter: \"attn(\"\n      value: 1\n", ":7: parameters.lambda.filter: 'attn(' is not a regex");
        cases.put(head + "parameters:\n  lambda: [0.5, {value: 1}]\n", ":6: parameters.lambda: mixes kinds");
        cases.put(head + "parameters:\n  lambda:\n    - filter: attn\n      value: 1\n", ":6: parameters.lambda: no entry matches tensor 'model.embed_tokens.weight'");
        cases.put(head + "colour: red\n", ":5: colour: is not a field of a merge config");
        cases.put("merge_method: ties\nbase_model: pre.safetensors\nmodels:\n  - model: a.safetensors\n    parameters:\n      density: 0.3\n",
                ":6: models[1].parameters.density: is not a per-model parameter here");
        cases.put("merge_method: tie\nmodels:\n  - model: a.safetensors\n", ":1: merge_method: 'tie' is not a merge");
        cases.put("merge_method: ties\nbase_model: pre.safetensors\nmodels: []\n", ":3: models: needs a list of the fine-tuned models");
        cases.put("merge_method: ties\nbase_model: pre.safetensors\nmodels:\n  - model: pre.safetensors\n", ":3: models: lists only the base model");
        cases.put("merge_method: cart\nmodels:\n  - model: a.safetensors\n    parameters: {weight: 0.5}\n  - model: pre.safetensors\n",
                ":4: models[1].parameters.weight: cart merges without a base");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = yaml(c.getKey());
            Exception e = assertThrows(MergeConfig.ConfigError.class, () -> {
                MergeConfig cfg = MergeConfig.read(f);
                ConfiguredMerge.run(cfg, cfg.method(null));
            }, c.getValue());
            assertTrue(e.getMessage().startsWith(f + c.getValue()), e.getMessage() + "\n  expected: " + f + c.getValue());
            assertEquals(1, e.getMessage().lines().count());
        }
        Path f = yaml(head);
        assertThrows(MergeConfig.ConfigError.class, () -> MergeConfig.read(f).method("cart"), "the command names another method");
    }
}
