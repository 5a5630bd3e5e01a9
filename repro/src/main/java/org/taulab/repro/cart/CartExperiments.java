package org.taulab.repro.cart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.taulab.repro.Claims;
import org.taulab.dsl.analysis.Analyses;
import org.taulab.dsl.merge.CartIndex;
import org.taulab.dsl.tensor.Selector;
import org.taulab.repro.Charts;
import org.taulab.repro.Claim;
import org.taulab.repro.Experiment;
import org.taulab.repro.Format;
import org.taulab.repro.Note;
import org.taulab.repro.NotebookExperiments;
import org.taulab.repro.ReproContext;
import org.taulab.repro.Report;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The tables and figures of notebooks/01-cart.ipynb, each a named experiment ({@code %reproduce NAME}):
 * the CART paper's Table 1, Figures 1, 2, 3, 6 and 7 and its compression table, on our benchmark, beside the
 * paper's numbers and with the paper's qualitative claims checked. Parameters are selected on val and
 * accuracies reported on test.
 */
public final class CartExperiments {
    static final String NOTEBOOK = "01-cart";
    /** How much an accuracy must exceed another (in points) to count as "above" in shape claims. */
    static final double MARGIN = 1.0;

    private CartExperiments() {
    }

    private static final NotebookExperiments ALL = new NotebookExperiments(NOTEBOOK);

    static {
        add("cart-table", "CART Table 1", "Methods table: pretrained, individual, averaging, TA, TIES, consensus TA, CART, AdaMerging rows",
                CartExperiments::methodsTable);
        add("cart-adamerging", "CART Table 1 (test-time adaptation rows)", "AdaMerging+TA and AdaMerging+CART (learned merging)",
                CartExperiments::adamerging);
        add("cart-rank-curve", "CART Figure 1", "Accuracy vs rank for CART and low-rank TA", CartExperiments::rankCurve);
        add("cart-per-task-rank", "CART Figure 6", "Per-task accuracy vs rank for CART and low-rank TA", CartExperiments::perTaskRank);
        add("cart-interference", "CART Figures 2 and 8", "Row-space interference of centered vs original task vectors",
                CartExperiments::interference);
        add("cart-reconstruction", "CART Figure 3", "Reconstruction error and interference vs rank (centered vectors)",
                CartExperiments::reconstruction);
        add("cart-num-tasks", "CART Figure 7", "Normalized accuracy vs number of tasks over sampled subsets (mean ± standard error)",
                CartExperiments::numTasks);
        add("cart-newer-merges", "Iso-C, Iso-CTS, TSV-M, WUDI, EMR, … (their papers)",
                "The field's newer merges: each with λ on val, beside its paper's ViT-B/32 figure", NewerMerges::table);
        add("cart-indexing", "CART Table 3", "CART-Indexing: per-task low-rank models and their storage", CartExperiments::indexing);
        add("cart-summary", "—", "Every claim of the CART notebook: what reproduced and what did not", CartExperiments::summary);
    }

    /** This notebook's experiments, in notebook order. */
    public static List<Experiment> all() {
        return ALL.all();
    }

    private static void add(String name, String paper, String title, Function<ReproContext, Report> body) {
        ALL.add(name, paper, title, body);
    }

    // ---- Table 1 ----

    static Report methodsTable(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        Report report = new Report("cart-table");
        CartStudy.Row pre = s.pretrained();
        CartStudy.Row ind = s.individual();
        CartStudy.Row avg = s.averaging();
        CartStudy.Row ta = s.taskArithmetic();
        CartStudy.Row ties = s.ties();
        CartStudy.Row cons = s.consensus();
        CartStudy.Row cart = s.cart();
        CartStudy.Row adaTa = s.adamerging();
        CartStudy.Row adaCart = s.adamergingCart();
        List<CartStudy.Row> trainingFree = List.of(avg, ta, ties, cons, cart);
        List<CartStudy.Row> merges = new ArrayList<>(trainingFree);
        if (adaTa != null) {
            merges.add(adaTa);
        }
        if (adaCart != null) {
            merges.add(adaCart);
        }
        double bestMerge = merges.stream().mapToDouble(r -> r.test().average()).max().orElse(Double.NaN);
        double bestOtherFree = List.of(avg, ta, ties, cons).stream().mapToDouble(r -> r.test().average()).max().orElse(Double.NaN);

        Map<String, Claim> rowClaims = new LinkedHashMap<>();
        rowClaims.put(ind.method(), beats("cart.individual-above-merges", "Individual fine-tuned models stay above every merge (paper: 90.5 vs at most 85.8)",
                ind, "best merge", bestMerge));
        rowClaims.put(avg.method(), beats("cart.averaging-beats-pretrained", "Weight averaging beats the pretrained model (paper: 65.9 vs 48.0)",
                avg, pre));
        rowClaims.put(ta.method(), beats("cart.ta-beats-averaging", "Task arithmetic beats weight averaging (paper: 69.1 vs 65.9)", ta, avg));
        rowClaims.put(ties.method(), beats("cart.ties-beats-ta", "TIES beats task arithmetic (paper: 72.4 vs 69.1)", ties, ta));
        rowClaims.put(cons.method(), beats("cart.consensus-beats-ties", "Consensus TA beats TIES (paper: 75.2 vs 72.4)", cons, ties));
        rowClaims.put(cart.method(), beats("cart.cart-best-training-free",
                "CART is the best training-free merge (paper: 84.7, next best consensus TA 75.2)", cart, "best other", bestOtherFree));
        rowClaims.put("AdaMerging+TA", adaTa == null
                ? Claims.pending("cart.cart-beats-adamerging-ta", "CART beats AdaMerging+TA, which adapts at test time (paper: 84.7 vs 80.1)",
                        s.unavailable(false))
                : beats("cart.cart-beats-adamerging-ta", "CART beats AdaMerging+TA, which adapts at test time (paper: 84.7 vs 80.1)", cart, adaTa));
        rowClaims.put("AdaMerging+CART", adaCart == null
                ? Claims.pending("cart.adamerging-cart-best", "AdaMerging+CART is the best merge of all (paper: 85.8)", s.unavailable(true))
                : beats("cart.adamerging-cart-best", "AdaMerging+CART is the best merge of all (paper: 85.8)", adaCart, "best other",
                        merges.stream().filter(r -> r != adaCart).mapToDouble(r -> r.test().average()).max().orElse(Double.NaN)));

        StringColumn method = StringColumn.create("method");
        StringColumn selected = StringColumn.create("selected on val");
        DoubleColumn val = DoubleColumn.create("val avg %");
        DoubleColumn test = DoubleColumn.create("test avg %");
        DoubleColumn norm = DoubleColumn.create("test normalized %");
        DoubleColumn paper = DoubleColumn.create("paper avg % (ViT-B/32)");
        StringColumn claim = StringColumn.create("paper's claim");
        StringColumn holds = StringColumn.create("holds here");
        Object[][] rows = {
            {pre, CartPaper.PRETRAINED}, {ind, CartPaper.INDIVIDUAL}, {avg, CartPaper.AVERAGING}, {ta, CartPaper.TASK_ARITHMETIC},
            {ties, CartPaper.TIES}, {cons, CartPaper.CONSENSUS}, {cart, CartPaper.CART},
            {adaTa == null ? "AdaMerging+TA" : adaTa, CartPaper.ADAMERGING_TA}, {adaCart == null ? "AdaMerging+CART" : adaCart, CartPaper.ADAMERGING_CART},
        };
        for (Object[] row : rows) {
            if (row[0] instanceof CartStudy.Row r) {
                method.append(r.method());
                selected.append(r.selected());
                val.append(Format.pct(r.valAverage()));
                test.append(Format.pct(r.test().average()));
                norm.append(Format.pct(r.test().normalized()));
            } else {
                method.append((String) row[0]);
                selected.append("not available yet");
                val.appendMissing();
                test.appendMissing();
                norm.appendMissing();
            }
            paper.append((Double) row[1]);
            Claim c = rowClaims.get(row[0] instanceof CartStudy.Row r ? r.method() : (String) row[0]);
            claim.append(c == null ? "" : c.statement());
            holds.append(c == null ? "" : c.status().symbol() + (c.counted() ? "" : " (not counted)"));
        }
        report.add(Table.create("CART Table 1 on " + ctx.zoo().name() + " (" + ctx.bench().describe() + "); paper: ViT-B/32, 8 tasks",
                method, selected, val, test, norm, paper, claim, holds));
        report.note("Selected on val, reported on test. \"normalized\" = accuracy / the task's own fine-tuned model, averaged over tasks. "
                + "λ grids: TA " + s.taGrid() + ", TIES " + s.tiesGrid() + " (top-k 20 %), consensus λ_t " + s.tallGrid()
                + " then λ as TA; CART rank " + s.cartRanks() + " × λ " + s.cartLambdas() + ".");
        if (adaTa == null || adaCart == null) {
            report.add(Note.warning("AdaMerging rows: " + s.learnedUnavailable() + " — their claims are listed but not counted."));
        }
        report.add(perTaskTable(ctx, List.of(pre, ind, avg, ta, ties, cons, cart)));
        report.add(CartFigures.perTaskBars(ctx, "Per-task test accuracy of each method (" + ctx.zoo().name() + ")",
                List.of(pre, avg, ta, ties, cons, cart, ind)));
        report.add(cartSearchChart(s));
        report.add(CartFigures.searchHeatmap(s));
        for (Claim c : rowClaims.values()) {
            report.add(c);
        }
        report.add(beats("cart.cart-beats-ta", "CART beats task arithmetic (paper: 84.7 vs 69.1)", cart, ta));
        report.add(beats("cart.cart-beats-averaging", "CART beats weight averaging, the point it starts from (paper: 84.7 vs 65.9)", cart, avg));
        report.add(beats("cart.ta-beats-pretrained", "Task arithmetic beats the pretrained model (paper: 69.1 vs 48.0)", ta, pre));
        return report;
    }

    static Claim beats(String id, String statement, CartStudy.Row a, CartStudy.Row b) {
        return beats(id, statement, a, b.method(), b.test().average());
    }

    static Claim beats(String id, String statement, CartStudy.Row a, String otherName, double other) {
        double x = a.test().average();
        return Claims.check(id, statement, x > other, "ours (test): " + a.method() + " " + Format.pctText(x) + " vs " + otherName + " "
                + Format.pctText(other));
    }

    static Table perTaskTable(ReproContext ctx, List<CartStudy.Row> rows) {
        Table t = Table.create("per-task test accuracy % (" + ctx.bench().describe() + ")");
        t.addColumns(StringColumn.create("task", ctx.zoo().tasks()));
        for (CartStudy.Row r : rows) {
            DoubleColumn c = DoubleColumn.create(r.method().replace(" (each task's own model)", ""));
            for (String task : ctx.zoo().tasks()) {
                c.append(Format.pct(r.test().of(task)));
            }
            t.addColumns(c);
        }
        return t;
    }

    static XYChart cartSearchChart(CartStudy s) {
        CartStudy.Row cart = s.cart();
        Table points = cart.searches().get(0);
        XYChart chart = Charts.lines("CART search on val: accuracy vs λ per rank ratio", "λ", "val accuracy (%)");
        for (double r : s.cartRanks()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < points.rowCount(); i++) {
                if (Double.parseDouble(points.stringColumn("rank").get(i)) == r) {
                    x.add(Double.parseDouble(points.stringColumn("lambda").get(i)));
                    y.add(100 * points.doubleColumn("score").get(i));
                }
            }
            Charts.series(chart, "rank " + Format.num(100 * r) + " %", x, y);
        }
        double lo = s.cartLambdas().get(0);
        double hi = s.cartLambdas().get(s.cartLambdas().size() - 1);
        Charts.reference(chart, "weight averaging", lo, hi, 100 * s.averaging().valAverage(), Color.GRAY);
        Charts.reference(chart, "pretrained", lo, hi, 100 * s.pretrained().valAverage(), Color.BLACK);
        return chart;
    }

    // ---- AdaMerging rows ----

    static Report adamerging(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        Report report = new Report("cart-adamerging");
        CartStudy.Row adaTa = s.adamerging();
        CartStudy.Row adaCart = s.adamergingCart();
        if (adaTa == null || adaCart == null) {
            report.add(Note.warning(s.learnedUnavailable() + ": the AdaMerging rows of the methods table and their claims wait for it."));
        }
        List<CartStudy.Row> rows = new ArrayList<>(List.of(s.taskArithmetic(), s.cart()));
        if (adaTa != null) {
            rows.add(adaTa);
        }
        if (adaCart != null) {
            rows.add(adaCart);
        }
        report.add(perTaskTable(ctx, rows));
        return report;
    }

    // ---- Figure 1 ----

    static Report rankCurve(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        Report report = new Report("cart-rank-curve");
        List<CartStudy.RankPoint> cart = s.cartCurve();
        List<CartStudy.RankPoint> lrta = s.lowRankTaCurve();
        XYChart chart = Charts.lines("Accuracy vs rank (CART Figure 1) — " + ctx.zoo().name(), "rank ratio (%)", "test accuracy (%)");
        Charts.series(chart, "CART (λ = " + Format.num(s.cartLambda()) + ")", xs(cart), ys(cart, null));
        Charts.series(chart, "low-rank TA (λ = " + Format.num(s.taLambda()) + ")", xs(lrta), ys(lrta, null));
        Charts.reference(chart, "task arithmetic (searched)", 0, 100, 100 * s.taskArithmetic().test().average(), Charts.color(1));
        Charts.reference(chart, "weight averaging", 0, 100, 100 * s.averaging().test().average(), Color.GRAY);
        Charts.reference(chart, "pretrained", 0, 100, 100 * s.pretrained().test().average(), Color.BLACK);
        report.add(chart);

        Table t = Table.create("accuracy vs rank: CART (λ = " + Format.num(s.cartLambda()) + ") and low-rank TA (λ = "
                + Format.num(s.taLambda()) + "), λ fixed at the value chosen on val in the methods table");
        DoubleColumn rank = DoubleColumn.create("rank %");
        IntColumn k = IntColumn.create("k of 128");
        DoubleColumn cv = DoubleColumn.create("CART val %");
        DoubleColumn ct = DoubleColumn.create("CART test %");
        DoubleColumn lv = DoubleColumn.create("low-rank TA val %");
        DoubleColumn lt = DoubleColumn.create("low-rank TA test %");
        for (int i = 0; i < cart.size(); i++) {
            rank.append(Format.pct(cart.get(i).rank()));
            k.append(org.taulab.dsl.linalg.Rank.ratio(cart.get(i).rank()).k(128, 128));
            cv.append(Format.pct(cart.get(i).valAverage()));
            ct.append(Format.pct(cart.get(i).test().average()));
            lv.append(Format.pct(lrta.get(i).valAverage()));
            lt.append(Format.pct(lrta.get(i).test().average()));
        }
        t.addColumns(rank, k, cv, ct, lv, lt);
        report.add(t);

        // Bell shape: the rank chosen on val among the interior ranks beats both ends (= weight averaging) on test.
        CartStudy.RankPoint peak = interiorPeak(cart);
        double ends = Math.max(cart.get(0).test().average(), cart.get(cart.size() - 1).test().average());
        report.add(Claims.check("cart.rank-curve-bell",
                "CART's accuracy vs rank is bell-shaped: an intermediate rank beats both ends, which are weight averaging (paper: 84.7 vs 65.9)",
                peak.test().average() - ends >= MARGIN / 100,
                "ours (test): peak chosen on val at " + Format.num(100 * peak.rank()) + " % = " + Format.pctText(peak.test().average())
                        + " vs ends " + Format.pctText(ends) + " (needs ≥ " + Format.num(MARGIN) + " point)"));
        report.add(Claims.check("cart.rank-peak-near-8",
                "CART's best rank is near 8 % (paper: peak at ≈ 8 %; we accept 4–16 %)",
                peak.rank() >= 0.04 && peak.rank() <= 0.16,
                "ours: best rank on val " + Format.num(100 * peak.rank()) + " %"));
        boolean falls = true;
        for (int i = 0; i + 1 < lrta.size(); i++) {
            falls &= lrta.get(i).test().average() <= lrta.get(i + 1).test().average() + MARGIN / 100;
        }
        double lrFull = lrta.get(lrta.size() - 1).test().average();
        double lrZero = lrta.get(0).test().average();
        falls &= lrFull - lrZero >= MARGIN / 100;
        report.add(Claims.check("cart.lowrank-ta-falls",
                "Low-rank TA loses accuracy as the rank shrinks, down to about the pretrained model at rank 0 (paper Figure 1)",
                falls, "ours (test): full rank " + Format.pctText(lrFull) + ", rank 0 " + Format.pctText(lrZero)
                        + "; never rising by more than " + Format.num(MARGIN) + " point as rank shrinks: " + (falls ? "yes" : "no")));
        return report;
    }

    static CartStudy.RankPoint interiorPeak(List<CartStudy.RankPoint> curve) {
        CartStudy.RankPoint best = null;
        for (CartStudy.RankPoint p : curve) {
            if (p.rank() > 0 && p.rank() < 1 && (best == null || p.valAverage() > best.valAverage())) {
                best = p;
            }
        }
        return best;
    }

    private static List<Double> xs(List<CartStudy.RankPoint> curve) {
        return curve.stream().map(p -> 100 * p.rank()).toList();
    }

    private static List<Double> ys(List<CartStudy.RankPoint> curve, String task) {
        return curve.stream().map(p -> 100 * (task == null ? p.test().average() : p.test().of(task))).toList();
    }

    // ---- Figure 6 ----

    static Report perTaskRank(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        Report report = new Report("cart-per-task-rank");
        List<CartStudy.RankPoint> cart = s.cartCurve();
        List<CartStudy.RankPoint> lrta = s.lowRankTaCurve();
        for (Object[] m : new Object[][] {{"CART", cart}, {"low-rank TA", lrta}}) {
            @SuppressWarnings("unchecked")
            List<CartStudy.RankPoint> curve = (List<CartStudy.RankPoint>) m[1];
            XYChart chart = Charts.lines("Per-task accuracy vs rank: " + m[0] + " (CART Figure 6)", "rank ratio (%)", "test accuracy (%)");
            for (String task : ctx.zoo().tasks()) {
                Charts.series(chart, task, xs(curve), ys(curve, task));
            }
            report.add(chart);
        }
        int at = -1;
        for (int i = 0; i < cart.size(); i++) {
            if (Math.abs(cart.get(i).rank() - CartPaper.PEAK_RANK) < 1e-9) {
                at = i;
            }
        }
        Table t = Table.create("per-task test accuracy % at rank " + Format.num(100 * CartPaper.PEAK_RANK) + " %");
        StringColumn task = StringColumn.create("task");
        DoubleColumn c = DoubleColumn.create("CART");
        DoubleColumn l = DoubleColumn.create("low-rank TA");
        StringColumn better = StringColumn.create("CART higher");
        int wins = 0;
        for (String name : ctx.zoo().tasks()) {
            double a = cart.get(at).test().of(name);
            double b = lrta.get(at).test().of(name);
            task.append(name);
            c.append(Format.pct(a));
            l.append(Format.pct(b));
            better.append(a > b ? "✓" : "✗");
            wins += a > b ? 1 : 0;
        }
        t.addColumns(task, c, l, better);
        report.add(t);
        int tasks = ctx.zoo().tasks().size();
        int needed = (int) Math.ceil(0.75 * tasks);
        report.add(Claims.check("cart.per-task-cart-above-lowrank-ta",
                "At 8 % rank CART beats low-rank TA task by task (paper Figure 6: consistently; we ask for ≥ 3/4 of the tasks)",
                wins >= needed, "ours (test): CART higher on " + wins + " of " + tasks + " tasks"));
        return report;
    }

    // ---- Figures 2, 8 and 3 ----

    static Table interferenceTable(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        return ctx.memo("cart.interference", () -> Analyses.interferenceCenteredVsOriginal(s.inputs(), Selector.defaultMatrices(),
                s.analysisRanks()));
    }

    static Report interference(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        Report report = new Report("cart-interference");
        Table mean = interferenceTable(ctx);
        XYChart chart = Charts.lines("Row-space interference I(k), mean over matrices (CART Figure 2)", "rank ratio (%)", "I(k)");
        List<Double> x = mean.doubleColumn("rank_ratio").asList().stream().map(r -> 100 * r).toList();
        Charts.series(chart, "original τ_t = θ_t − θ_pre", x, mean.doubleColumn("original").asList());
        Charts.series(chart, "centered ν_t = θ_t − θ_avg", x, mean.doubleColumn("centered").asList());
        report.add(chart);
        report.add(CartFigures.spectra(
                ctx.memo("cart.spectrum.original", () -> Analyses.spectrum(s.inputs().taskVectors(), ctx.zoo().tasks(), Selector.defaultMatrices())),
                ctx.memo("cart.spectrum.centered", () -> Analyses.spectrum(s.inputs().centered(), ctx.zoo().tasks(), Selector.defaultMatrices()))));
        StringColumn lowerMark = StringColumn.create("centered lower");
        for (int i = 0; i < mean.rowCount(); i++) {
            lowerMark.append(mean.doubleColumn("centered").get(i) < mean.doubleColumn("original").get(i) ? "✓" : "✗");
        }
        report.add(Table.create("row-space interference I(k), mean over the selected matrices (" + Selector.defaultMatrices() + ")",
                DoubleColumn.create("rank %", mean.doubleColumn("rank_ratio").asList().stream().mapToDouble(r -> 100 * r)),
                DoubleColumn.create("centered ν_t", mean.doubleColumn("centered").asList().stream().mapToDouble(CartExperiments::round3)),
                DoubleColumn.create("original τ_t", mean.doubleColumn("original").asList().stream().mapToDouble(CartExperiments::round3)),
                lowerMark));
        // Per matrix (paper Figure 8): how often centered is lower.
        Table perCentered = ctx.memo("cart.interference.centered", () -> Analyses.interference(s.inputs().centered(), Selector.defaultMatrices(),
                s.analysisRanks()));
        Table perOriginal = ctx.memo("cart.interference.original", () -> Analyses.interference(s.inputs().taskVectors(),
                Selector.defaultMatrices(), s.analysisRanks()));
        int lower = 0;
        for (int i = 0; i < perCentered.rowCount(); i++) {
            lower += perCentered.doubleColumn("interference").get(i) < perOriginal.doubleColumn("interference").get(i) ? 1 : 0;
        }
        int ranksLower = 0;
        for (int i = 0; i < mean.rowCount(); i++) {
            ranksLower += mean.doubleColumn("centered").get(i) < mean.doubleColumn("original").get(i) ? 1 : 0;
        }
        report.add(Claims.check("cart.centered-lower-interference",
                "Centered task vectors have lower row-space interference than the original ones at every rank (paper Figures 2 and 8)",
                ranksLower == mean.rowCount(),
                "ours: lower at " + ranksLower + " of " + mean.rowCount() + " ranks (mean over matrices); per matrix and rank: "
                        + lower + " of " + perCentered.rowCount()));
        return report;
    }

    static Report reconstruction(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        Report report = new Report("cart-reconstruction");
        Table r = ctx.memo("cart.reconstruction", () -> Analyses.reconstructionError(s.inputs().centered(), Selector.defaultMatrices(),
                s.analysisRanks()));
        Table mean = interferenceTable(ctx);
        DoubleColumn ratio = DoubleColumn.create("rank %");
        DoubleColumn rel = DoubleColumn.create("R(k) relative, mean over matrices");
        DoubleColumn inter = DoubleColumn.create("I(k) centered, mean over matrices");
        for (int i = 0; i < mean.rowCount(); i++) {
            double q = mean.doubleColumn("rank_ratio").get(i);
            ratio.append(100 * q);
            rel.append(round3(r.where(r.doubleColumn("rank_ratio").isEqualTo(q)).doubleColumn("relative").mean()));
            inter.append(round3(mean.doubleColumn("centered").get(i)));
        }
        Table t = Table.create("reconstruction error and interference of the centered vectors vs rank", ratio, rel, inter);
        XYChart chart = Charts.lines("Reconstruction error R(k) and interference I(k) vs rank (CART Figure 3)", "rank ratio (%)",
                "R(k) / Σ‖ν_t‖²");
        XYSeries a = Charts.series(chart, "R(k), relative (left)", ratio.asList(), rel.asList());
        XYSeries b = Charts.series(chart, "I(k) (right)", ratio.asList(), inter.asList());
        a.setYAxisGroup(0);
        b.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, "I(k)");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        report.add(chart);
        report.add(t);
        boolean falls = true;
        boolean rises = true;
        for (int i = 0; i + 1 < t.rowCount(); i++) {
            falls &= rel.get(i + 1) <= rel.get(i) + 1e-9;
            rises &= inter.get(i + 1) >= inter.get(i) * (1 - 0.01);
        }
        double at8 = rel.get(ratio.asList().indexOf(8.0));
        report.add(Claims.check("cart.reconstruction-falls-fast",
                "The reconstruction error of the centered vectors falls sharply at low rank (paper Figure 3; we ask R(8 %) ≤ half of R(0))",
                falls && at8 <= 0.5, "ours: relative R(8 %) = " + Format.num(at8) + (falls ? ", decreasing in rank" : ", not monotone")));
        report.add(Claims.check("cart.interference-rises",
                "The interference of the centered vectors rises gradually with rank (paper Figure 3)",
                rises && inter.get(inter.size() - 1) > inter.get(0),
                "ours: I from " + Format.num(inter.get(0)) + " at " + Format.num(ratio.get(0)) + " % to " + Format.num(inter.get(inter.size() - 1))
                        + " at full rank" + (rises ? ", non-decreasing (1 % tolerance)" : ", not monotone")));
        return report;
    }

    static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    // ---- Figure 7 ----

    static Report numTasks(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        Report report = new Report("cart-num-tasks");
        List<CartStudy.SubsetResult> results = s.taskCountStudy();
        List<String> methods = List.of("weight averaging", "task arithmetic", "CART");
        Table t = Table.create("normalized test accuracy vs number of tasks (mean ± standard error over sampled subsets; "
                + "parameters as chosen on val for all tasks)");
        IntColumn count = IntColumn.create("tasks");
        StringColumn method = StringColumn.create("method");
        IntColumn subsets = IntColumn.create("subsets");
        DoubleColumn mean = DoubleColumn.create("normalized %");
        DoubleColumn se = DoubleColumn.create("standard error");
        Map<String, Map<Integer, double[]>> stats = new LinkedHashMap<>();
        for (String m : methods) {
            for (int n : s.taskCounts()) {
                double[] v = results.stream().filter(r -> r.method().equals(m) && r.count() == n).mapToDouble(CartStudy.SubsetResult::normalized)
                        .toArray();
                double mu = java.util.Arrays.stream(v).average().orElse(Double.NaN);
                double sd = v.length < 2 ? 0 : Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mu) * (x - mu)).sum() / (v.length - 1));
                double err = v.length < 2 ? 0 : sd / Math.sqrt(v.length);
                stats.computeIfAbsent(m, k -> new LinkedHashMap<>()).put(n, new double[] {mu, err});
                count.append(n);
                method.append(m);
                subsets.append(v.length);
                mean.append(Format.pct(mu));
                se.append(Format.pct(err));
            }
        }
        t.addColumns(count, method, subsets, mean, se);
        XYChart chart = Charts.lines("Normalized accuracy vs number of tasks (CART Figure 7)", "number of tasks", "normalized test accuracy (%)");
        for (String m : methods) {
            List<Integer> ns = s.taskCounts();
            double[] x = ns.stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = ns.stream().mapToDouble(n -> 100 * stats.get(m).get(n)[0]).toArray();
            double[] e = ns.stream().mapToDouble(n -> 100 * stats.get(m).get(n)[1]).toArray();
            XYSeries series = chart.addSeries(m, x, y, e);
            series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        report.add(chart);
        report.add(t);
        boolean cartAbove = true;
        StringBuilder ev = new StringBuilder("ours (normalized %): ");
        for (int n : s.taskCounts()) {
            double c = stats.get("CART").get(n)[0];
            double other = Math.max(stats.get("task arithmetic").get(n)[0], stats.get("weight averaging").get(n)[0]);
            cartAbove &= c > other;
            ev.append(n).append(" tasks CART ").append(Format.pctText(c)).append(" vs best baseline ").append(Format.pctText(other)).append("; ");
        }
        report.add(Claims.check("cart.cart-above-baselines-at-every-task-count",
                "CART stays above weight averaging and task arithmetic for every number of tasks (paper Figure 7)", cartAbove,
                ev.toString().replaceAll("; $", "")));
        int first = s.taskCounts().get(0);
        int last = s.taskCounts().get(s.taskCounts().size() - 1);
        boolean degrade = true;
        StringBuilder ev2 = new StringBuilder("ours (normalized %): ");
        for (String m : List.of("weight averaging", "task arithmetic")) {
            double a = stats.get(m).get(first)[0];
            double b = stats.get(m).get(last)[0];
            degrade &= a - b >= MARGIN / 100;
            ev2.append(m).append(" ").append(Format.pctText(a)).append(" at ").append(first).append(" → ").append(Format.pctText(b))
                    .append(" at ").append(last).append("; ");
        }
        report.add(Claims.check("cart.baselines-degrade-with-tasks",
                "Weight averaging and task arithmetic lose accuracy as the number of tasks grows (paper Figure 7)", degrade,
                ev2.toString().replaceAll("; $", "")));
        return report;
    }

    // ---- Table 3 (compression) ----

    static Report indexing(ReproContext ctx) {
        CartStudy s = CartStudy.of(ctx);
        Report report = new Report("cart-indexing");
        CartStudy.IndexingResult r = s.indexing();
        Map<String, Double> ind = ctx.bench().individual("test");
        StringColumn task = StringColumn.create("task");
        DoubleColumn a = DoubleColumn.create("individual %");
        DoubleColumn b = DoubleColumn.create("CART-Indexing %");
        DoubleColumn n = DoubleColumn.create("normalized %");
        double sumA = 0;
        double sumB = 0;
        double sumN = 0;
        for (String t : ctx.zoo().tasks()) {
            task.append(t);
            a.append(Format.pct(ind.get(t)));
            b.append(Format.pct(r.accuracy().get(t)));
            n.append(Format.pct(r.accuracy().get(t) / ind.get(t)));
            sumA += ind.get(t);
            sumB += r.accuracy().get(t);
            sumN += r.accuracy().get(t) / ind.get(t);
        }
        int k = ctx.zoo().tasks().size();
        task.append("average");
        a.append(Format.pct(sumA / k));
        b.append(Format.pct(sumB / k));
        n.append(Format.pct(sumN / k));
        report.add(Table.create("CART-Indexing at rank 8 %, λ = 1 (test; paper Table 3: individual 90.5, CART-Indexing 90.1)", task, a, b, n));
        CartIndex index = r.index();
        report.add(index.compressionTable());
        double normalized = sumN / k;
        report.add(Claims.check("cart.indexing-near-individual",
                "CART-Indexing at 8 % rank nearly matches the individual models (paper: 90.1 vs 90.5, 99.6 % normalized; we ask ≥ 97 %)",
                normalized >= 0.97, "ours (test): " + Format.pctText(sumB / k) + " vs " + Format.pctText(sumA / k) + ", "
                        + Format.pctText(normalized) + " % normalized"));
        return report;
    }

    // ---- summary ----

    static Report summary(ReproContext ctx) {
        return Report.summary(all(), "cart-summary", "CART", ctx);
    }
}
