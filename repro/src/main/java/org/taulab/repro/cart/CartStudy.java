package org.taulab.repro.cart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.taulab.dsl.Progress;
import org.taulab.dsl.merge.AverageMerge;
import org.taulab.dsl.merge.CartIndex;
import org.taulab.dsl.merge.CartMerge;
import org.taulab.dsl.merge.ConsensusMerge;
import org.taulab.dsl.merge.GridSearch;
import org.taulab.dsl.merge.LowRankTaskArithmeticMerge;
import org.taulab.dsl.merge.Merge;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.TaskArithmeticMerge;
import org.taulab.dsl.merge.TiesMerge;
import org.taulab.dsl.tensor.Weights;
import org.taulab.dsl.eval.Evaluation;
import org.taulab.dsl.eval.ZooEvaluator;
import org.taulab.repro.Format;
import org.taulab.repro.NotAvailableYet;
import org.taulab.repro.ReproContext;
import org.taulab.dsl.zoo.Zoo;
import tech.tablesaw.api.Table;

/**
 * The computations behind the CART notebook, each done once per {@link ReproContext} and shared by its
 * tables and figures: the methods with their parameters searched on val and reported on test, the
 * accuracy-vs-rank sweeps, the task-count study and CART-Indexing. Grids follow docs/algorithms.md; quick
 * mode uses fewer grid points, ranks and task subsets, never a different code path.
 */
public final class CartStudy {
    private final ReproContext ctx;
    private final ZooEvaluator bench;
    private final Zoo zoo;
    private MergeInputs inputs;

    private CartStudy(ReproContext ctx) {
        this.ctx = ctx;
        this.bench = ctx.bench();
        this.zoo = ctx.zoo();
    }

    public static CartStudy of(ReproContext ctx) {
        return ctx.memo("cart.study", () -> new CartStudy(ctx));
    }

    public ReproContext context() {
        return ctx;
    }

    public ZooEvaluator bench() {
        return bench;
    }

    /** Pretrained and the fine-tuned models of every task; decompositions are cached here for every merge. */
    public synchronized MergeInputs inputs() {
        if (inputs == null) {
            inputs = new MergeInputs(zoo.pretrained(), new ArrayList<>(zoo.finetuned().values()), zoo.tasks());
        }
        return inputs;
    }

    // ---- grids (docs/algorithms.md; quick mode: fewer points) ----

    public List<Double> taGrid() {
        return ctx.pick(List.of(0.05, 0.1, 0.3, 0.5), range(0.05, 1.0, 0.05));
    }

    public List<Double> tiesGrid() {
        List<Double> full = new ArrayList<>(range(0.1, 1.0, 0.1));
        full.addAll(range(1.2, 3.0, 0.2));
        return ctx.pick(List.of(0.5, 1.0, 2.0), full);
    }

    public List<Double> tallGrid() {
        return ctx.pick(List.of(0.2, 0.4, 0.6), range(0.2, 0.6, 0.1));
    }

    public List<Double> cartRanks() {
        return ctx.pick(List.of(0.04, 0.08, 0.16), List.of(0.04, 0.08, 0.12, 0.16, 0.32));
    }

    public List<Double> cartLambdas() {
        return ctx.pick(List.of(0.2, 1.0, 2.0), range(0.2, 3.0, 0.2));
    }

    /**
     * λ of the merges whose default is 1 (Iso-C, Iso-CTS, TSV-M, WUDI, MagMax): down to 0.05, as task arithmetic's
     * grid, because on a zoo where merging helps little the best λ on val sits far below the papers' (mini8's task
     * arithmetic picks 0.05; a grid starting at 0.5 had every one of these at its lower edge).
     */
    public List<Double> isoGrid() {
        List<Double> full = new ArrayList<>(List.of(0.05));
        full.addAll(range(0.1, 2.0, 0.1));
        return ctx.pick(List.of(0.1, 0.5, 1.0, 2.0), full);
    }

    /** Ranks of the accuracy-vs-rank curves; 0 and 1 are the ends (CART: weight averaging at both). */
    public List<Double> curveRanks() {
        return ctx.pick(List.of(0.0, 0.02, 0.08, 0.32, 1.0), List.of(0.0, 0.01, 0.02, 0.04, 0.08, 0.12, 0.16, 0.32, 0.5, 1.0));
    }

    /** Ranks of the interference and reconstruction analyses (SVDs only: cheap, same in both modes). */
    public List<Double> analysisRanks() {
        return List.of(0.01, 0.02, 0.04, 0.08, 0.12, 0.16, 0.25, 0.32, 0.5, 0.75, 1.0);
    }

    public List<Integer> taskCounts() {
        int t = zoo.tasks().size();
        return ctx.pick(List.of(2, 4, t), List.of(2, 4, 6, t));
    }

    public int subsetsPerCount() {
        return ctx.pick(2, 4);
    }

    static List<Double> range(double from, double to, double step) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            double v = Math.round((from + i * step) * 1000) / 1000.0;
            if (v > to + 1e-9) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    // ---- the methods table ----

    /**
     * One method's row: what was selected on val, its val score (mean accuracy), its test evaluation, the
     * search table (null without a search) and the merged weights.
     */
    public record Row(String method, String selected, Map<String, Object> parameters, double valAverage, Evaluation test,
                      List<Table> searches, Weights weights) {
    }

    public Row pretrained() {
        return ctx.memo("cart.pretrained", () -> fixed("pretrained", "—", zoo.pretrained()));
    }

    public Row individual() {
        return ctx.memo("cart.individual", () -> {
            Map<String, Double> val = bench.individual("val");
            Map<String, Double> test = bench.individual("test");
            double valAvg = val.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new Row("individual (each task's own model)", "—", Map.of(), valAvg, new Evaluation(test, test), List.of(), null);
        });
    }

    public Row averaging() {
        return ctx.memo("cart.averaging", () -> fixed("weight averaging", "—", new AverageMerge().merge(inputs())));
    }

    public Row taskArithmetic() {
        return ctx.memo("cart.ta", () -> searched("task arithmetic", new TaskArithmeticMerge(), grid("lambda", taGrid())));
    }

    public Row ties() {
        return ctx.memo("cart.ties", () -> searched("TIES", new TiesMerge(), grid("lambda", tiesGrid())));
    }

    /** Consensus TA: a shared TALL λ_t searched at TA's λ, then λ at that λ_t (a coordinate search on val). */
    public Row consensus() {
        return ctx.memo("cart.consensus", () -> {
            double taLambda = (double) taskArithmetic().parameters().get("lambda");
            GridSearch.Result tall = GridSearch.run(new ConsensusMerge().lambda(taLambda), grid("tall_lambda", tallGrid()), inputs(),
                    bench.valScore(), Progress.session());
            Object bestTall = tall.best().get("tall_lambda");
            Row row = searched("consensus TA", (Merge) new ConsensusMerge().with("tall_lambda", bestTall), grid("lambda", taGrid()));
            Table first = tall.points().copy();
            first.setName("consensus TA search on val, step 1: λ_t at λ = " + Format.num(taLambda) + " (" + first.rowCount() + " points)");
            List<Table> searches = new ArrayList<>(List.of(first));
            searches.addAll(row.searches());
            Map<String, Object> params = new LinkedHashMap<>(row.parameters());
            params.put("tall_lambda", bestTall);
            return new Row(row.method(), "λ_t = " + bestTall + ", " + row.selected(), params, row.valAverage(), row.test(),
                    searches, row.weights());
        });
    }

    public Row cart() {
        return ctx.memo("cart.cart", () -> {
            Map<String, List<?>> g = new LinkedHashMap<>();
            g.put("rank", cartRanks());
            g.put("lambda", cartLambdas());
            return searched("CART", new CartMerge(), g);
        });
    }

    /** CART's chosen rank ratio and λ. */
    public double cartRank() {
        return ((Number) cart().parameters().get("rank")).doubleValue();
    }

    public double cartLambda() {
        return ((Number) cart().parameters().get("lambda")).doubleValue();
    }

    public double taLambda() {
        return ((Number) taskArithmetic().parameters().get("lambda")).doubleValue();
    }

    /** AdaMerging+TA, or null with the reason in {@link #learnedUnavailable()} when it is not available yet. */
    public Row adamerging() {
        return learned("cart.adamerging", "AdaMerging+TA", () -> LearnedRows.adamerging(ctx, inputs()));
    }

    public Row adamergingCart() {
        return learned("cart.adamerging-cart", "AdaMerging+CART", () -> LearnedRows.adamergingCart(ctx, inputs(), cartRank()));
    }

    /** Why the learned rows are missing, or null when they ran. */
    public String learnedUnavailable() {
        adamerging();
        adamergingCart();
        Object a = ctx.memo("cart.adamerging.why", () -> "");
        Object b = ctx.memo("cart.adamerging-cart.why", () -> "");
        String why = a.toString().isEmpty() ? b.toString() : b.toString().isEmpty() ? a.toString() : a + "; " + b;
        return why.isEmpty() ? null : why;
    }

    /** Why AdaMerging+TA (or, with {@code cart}, AdaMerging+CART) is missing, or "" when it ran. */
    public String unavailable(boolean cart) {
        if (cart) {
            adamergingCart();
        } else {
            adamerging();
        }
        return ctx.memo(cart ? "cart.adamerging-cart.why" : "cart.adamerging.why", () -> "");
    }

    private Row learned(String key, String method, Supplier<Weights> merge) {
        Object r = ctx.memo(key, () -> {
            try {
                Weights w = merge.get();
                Evaluation val = bench.evaluate(w, "val");
                return new Row(method, "learned on val inputs", Map.of(), val.average(), bench.evaluate(w, "test"), List.of(), w);
            } catch (NotAvailableYet e) {
                ctx.memo(key + ".why", e::getMessage);
                return e;
            }
        });
        return r instanceof Row row ? row : null;
    }

    Row fixed(String method, String selected, Weights w) {
        double val = bench.evaluate(w, "val").average();
        return new Row(method, selected, Map.of(), val, bench.evaluate(w, "test"), List.of(), w);
    }

    Row searched(String method, Merge merge, Map<String, List<?>> grid) {
        GridSearch.Result r = GridSearch.run(merge, grid, inputs(), bench.valScore(), Progress.session());
        Weights best = r.bestMerge().weights();
        List<String> chosen = new ArrayList<>();
        r.best().forEach((k, v) -> chosen.add(symbol(k) + " = " + v));
        Table points = r.points().copy();
        points.setName(method + " search on val (" + points.rowCount() + " points; score = mean val accuracy)");
        Map<String, Object> params = new LinkedHashMap<>(r.best());
        return new Row(method, String.join(", ", chosen), params, r.bestScore(), bench.evaluate(best, "test"), List.of(points), best);
    }

    private static String symbol(String parameter) {
        return switch (parameter) {
            case "lambda" -> "λ";
            case "tall_lambda" -> "λ_t";
            case "rank" -> "rank";
            default -> parameter;
        };
    }

    private static Map<String, List<?>> grid(String name, List<Double> values) {
        Map<String, List<?>> g = new LinkedHashMap<>();
        g.put(name, values);
        return g;
    }

    // ---- accuracy vs rank (Figures 1 and 6) ----

    /** One point of a rank sweep: the rank ratio, and val / test evaluations of the merge at it. */
    public record RankPoint(double rank, double valAverage, Evaluation test) {
    }

    /** CART at each curve rank with λ fixed at the λ chosen on val for the methods table. */
    public List<RankPoint> cartCurve() {
        return ctx.memo("cart.curve", () -> sweep("CART vs rank", r -> new CartMerge().rank(r).lambda(cartLambda()).merge(inputs())));
    }

    /** Low-rank TA at each curve rank with λ fixed at task arithmetic's λ chosen on val. */
    public List<RankPoint> lowRankTaCurve() {
        return ctx.memo("cart.lrta-curve", () -> sweep("low-rank TA vs rank",
                r -> new LowRankTaskArithmeticMerge().rank(r).lambda(taLambda()).merge(inputs())));
    }

    private List<RankPoint> sweep(String label, java.util.function.DoubleFunction<Weights> merge) {
        List<RankPoint> out = new ArrayList<>();
        Progress p = Progress.session();
        List<Double> ranks = curveRanks();
        inputs().planRanks(ranks);
        for (double r : ranks) {
            Weights w = merge.apply(r);
            double val = bench.evaluate(w, "val").average();
            out.add(new RankPoint(r, val, bench.evaluate(w, "test")));
            p.update(label, out.size(), ranks.size());
        }
        return out;
    }

    // ---- number of tasks (Figure 7) ----

    /** Normalized test accuracy of one method on one task subset. */
    public record SubsetResult(int count, List<String> tasks, String method, double normalized, double average) {
    }

    /**
     * For each task count, {@link #subsetsPerCount()} random subsets (seeded; all tasks once for the full
     * count), merged with weight averaging, TA and CART at the parameters chosen on val for 8 tasks, and
     * evaluated on the subset's tasks (test).
     */
    public List<SubsetResult> taskCountStudy() {
        return ctx.memo("cart.task-counts", () -> {
            double taLambda = taLambda();
            double rank = cartRank();
            double cartLambda = cartLambda();
            Weights pre = inputs().base();
            Map<String, Weights> fts = new LinkedHashMap<>();
            for (int i = 0; i < zoo.tasks().size(); i++) {
                fts.put(zoo.tasks().get(i), inputs().finetuned().get(i));
            }
            List<List<String>> subsets = new ArrayList<>();
            Random random = new Random(7);
            for (int count : taskCounts()) {
                List<List<String>> seen = new ArrayList<>();
                int wanted = count == zoo.tasks().size() ? 1 : subsetsPerCount();
                while (seen.size() < wanted) {
                    List<String> shuffled = new ArrayList<>(zoo.tasks());
                    java.util.Collections.shuffle(shuffled, random);
                    List<String> s = new ArrayList<>(shuffled.subList(0, count));
                    s.sort(java.util.Comparator.comparingInt(zoo.tasks()::indexOf));
                    if (!seen.contains(s)) {
                        seen.add(s);
                    }
                }
                subsets.addAll(seen);
            }
            List<SubsetResult> out = new ArrayList<>();
            Progress p = Progress.session();
            int done = 0;
            for (List<String> s : subsets) {
                List<Weights> models = s.stream().map(fts::get).toList();
                MergeInputs in = new MergeInputs(pre, models, s);
                Map<String, Weights> merged = new LinkedHashMap<>();
                merged.put("weight averaging", new AverageMerge().merge(in));
                merged.put("task arithmetic", new TaskArithmeticMerge().lambda(taLambda).merge(in));
                merged.put("CART", new CartMerge().rank(rank).lambda(cartLambda).merge(in));
                for (Map.Entry<String, Weights> e : merged.entrySet()) {
                    Evaluation ev = bench.evaluate(e.getValue(), s, "test");
                    out.add(new SubsetResult(s.size(), s, e.getKey(), ev.normalized(), ev.average()));
                }
                p.update("merging task subsets", ++done, subsets.size());
            }
            return out;
        });
    }

    // ---- CART-Indexing ----

    /** CART-Indexing at the paper's 8 % rank and λ = 1: each task's own low-rank model, tested on its task. */
    public record IndexingResult(CartIndex index, Map<String, Double> accuracy) {
    }

    public IndexingResult indexing() {
        return ctx.memo("cart.indexing", () -> {
            CartIndex index = CartIndex.build(inputs()).rank(CartPaper.PEAK_RANK).lambda(1.0);
            Map<String, Double> acc = new LinkedHashMap<>();
            Progress p = Progress.session();
            for (String t : zoo.tasks()) {
                Weights w = index.weightsFor(t);
                acc.put(t, bench.accuracy(w, t, "test"));
                w.close();
                p.update("CART-Indexing per task", acc.size(), zoo.tasks().size());
            }
            return new IndexingResult(index, acc);
        });
    }
}
