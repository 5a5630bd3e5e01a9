package org.taulab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SafetensorsWriter;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.io.HashCache;
import org.taulab.dsl.merge.AverageMerge;
import org.taulab.dsl.merge.CartMerge;
import org.taulab.dsl.merge.ConsensusMerge;
import org.taulab.dsl.merge.LowRankTaskArithmeticMerge;
import org.taulab.dsl.merge.Merge;
import org.taulab.dsl.merge.LinearMergeFiles;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.TaskArithmeticMerge;
import org.taulab.dsl.merge.TiesMerge;
import org.taulab.dsl.merge.TsvmMerge;
import org.taulab.dsl.tensor.Selector;
import org.taulab.dsl.tensor.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taulab merge METHOD --base PRE --out OUT FT...}: a training-free merge written as safetensors. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"Merge fine-tuned checkpoints (safetensors) into one model.",
                "Methods: average | task-arithmetic | ties | consensus | cart | lowrank-ta | tsvm.",
                "--base is required for task-arithmetic, ties, consensus, lowrank-ta and tsvm; optional for average and cart",
                "(when given, integer/bool tensors are copied from it). Exit codes: 0 ok, 1 data error, 2 usage error."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "METHOD", description = "average | task-arithmetic | ties | consensus | cart | lowrank-ta | tsvm")
    String method;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FT.safetensors", description = "The fine-tuned checkpoints.")
    List<Path> finetuned = new ArrayList<>();

    @Option(names = "--base", paramLabel = "PRE.safetensors", description = "The pretrained checkpoint (default: none).")
    Path base;

    @Option(names = "--out", required = true, paramLabel = "OUT.safetensors", description = "Where to write the merged model (never one of the inputs).")
    Path out;

    @Option(names = "--lambda", paramLabel = "X", description = "Scaling coefficient (default per method: task-arithmetic 0.3, ties 1.0, consensus 0.3, cart 1.0, lowrank-ta 0.3, tsvm 1.0; average has none).")
    Double lambda;

    @Option(names = "--rank-ratio", paramLabel = "R", defaultValue = "0.08", description = "Rank ratio r of the low-rank step for cart and lowrank-ta, k = max(1, floor(r·min(m,n))) (default: ${DEFAULT-VALUE}).")
    double rankRatio;

    @Option(names = "--topk", paramLabel = "K", defaultValue = "0.2", description = "ties: fraction of each task vector kept, 0..1 (default: ${DEFAULT-VALUE}).")
    double topK;

    @Option(names = "--ties-scope", paramLabel = "S", defaultValue = "global", description = "ties: trim over the whole vector (global) or per tensor (tensor) (default: ${DEFAULT-VALUE}).")
    String tiesScope;

    @Option(names = "--tall-lambda", paramLabel = "L", defaultValue = "0.4", description = "consensus: TALL-mask threshold λ_t, one value for every task (default: ${DEFAULT-VALUE}).")
    double tallLambda;

    @Option(names = "--select", paramLabel = "REGEX", description = "Which 2-D tensors get the low-rank step (cart, lowrank-ta, tsvm) (default: name contains attn or mlp).")
    String select;

    @Option(names = "--dtype", paramLabel = "D", defaultValue = "f32", description = "Float dtype of the output: f32, f16, bf16, f64, or keep (each tensor as in the base/first input) (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Override
    public Integer call() {
        TauLabCli.checkOut(out);
        Merge merge = merge();
        List<Path> inputs = new ArrayList<>(finetuned);
        if (base != null) {
            inputs.add(0, base);
        }
        for (Path in : inputs) {
            if (SafetensorsWriter.sameFile(out, in)) {
                throw new TauLabCli.UsageException("--out " + out + " is one of the inputs; refusing to overwrite it");
            }
        }
        if (requiresBase(method) && base == null) {
            throw new TauLabCli.UsageException(method + " needs the pretrained model: add --base PRE.safetensors");
        }
        long start = System.nanoTime();
        Weights pre = base == null ? null : Weights.load(base);
        List<Weights> fts = new ArrayList<>();
        for (Path p : finetuned) {
            fts.add(Weights.load(p));
        }
        MergeInputs mergeInputs = new MergeInputs(pre, fts).oneShot();
        Weights merged = linearFastPath(merge, mergeInputs);
        if (merged == null) {
            merged = merge.merge(mergeInputs);
        }

        ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "taulab-sha256");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, CompletableFuture<String>> hashes = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                Path in = inputs.get(i);
                String key = (base != null && i == 0) ? "taulab.base" : "taulab.input." + (base != null ? i : i + 1);
                names.put(key, in.getFileName().toString());
                hashes.put(key + ".sha256", CompletableFuture.supplyAsync(() -> HashCache.sha256(in), hasher));
            }
            SaveOptions options = SaveOptions.defaults().withMetadata(merge.metadata()).withMetadata(names)
                    .withLateMetadata(hashes).protecting(inputs).reporting(new TerminalProgress(System.err));
            options = dtype.equalsIgnoreCase("keep") ? options.keepInputDType() : options.dtype(parseDType(dtype));
            merged.save(out, options);
        } finally {
            hasher.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("merged %d models with %s %s -> %s (%d tensors, %.1f MB) in %.2f s%n", fts.size(), merge.method(),
                merge.parameters(), out, merged.size(), fileSize(out) / 1e6, seconds);
        return 0;
    }

    private Merge merge() {
        Merge m = switch (method) {
            case "average" -> new AverageMerge();
            case "task-arithmetic" -> new TaskArithmeticMerge();
            case "ties" -> new TiesMerge().topK(fraction("--topk", topK)).scope(scope(tiesScope));
            case "consensus" -> new ConsensusMerge().tallLambdas(List.of(atLeastZero("--tall-lambda", tallLambda)));
            case "cart" -> new CartMerge().rank(fraction("--rank-ratio", rankRatio));
            case "lowrank-ta" -> new LowRankTaskArithmeticMerge().rank(fraction("--rank-ratio", rankRatio));
            case "tsvm" -> new TsvmMerge();
            default -> throw new TauLabCli.UsageException("unknown merge method '" + method
                    + "' (average, task-arithmetic, ties, consensus, cart, lowrank-ta, tsvm)");
        };
        if (lambda != null) {
            if (m instanceof AverageMerge) {
                throw new TauLabCli.UsageException("average takes no --lambda");
            }
            m = m.with("lambda", lambda);
        }
        if (select != null) {
            if (!(m instanceof CartMerge || m instanceof LowRankTaskArithmeticMerge || m instanceof TsvmMerge)) {
                throw new TauLabCli.UsageException("--select applies to cart, lowrank-ta and tsvm only");
            }
            m = m.with("select", selector(select));
        }
        return m;
    }

    /** Task arithmetic and averaging of float32 files in plain Java (no tensor engine), or null when that does not apply. */
    private Weights linearFastPath(Merge merge, MergeInputs in) {
        boolean ta = merge instanceof TaskArithmeticMerge t && !t.negate();
        if (!(ta || merge instanceof AverageMerge) || !(dtype.equalsIgnoreCase("f32") || dtype.equalsIgnoreCase("keep"))) {
            return null;
        }
        return LinearMergeFiles.merge(in, ta ? ((TaskArithmeticMerge) merge).lambda() : null, Map.of());
    }

    private static double fraction(String option, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new TauLabCli.UsageException(option + " " + v + " is outside 0..1");
        }
        return v;
    }

    private static TiesMerge.Scope scope(String s) {
        try {
            return TiesMerge.parseScope(s);
        } catch (org.taulab.dsl.TauLabException e) {
            throw new TauLabCli.UsageException("--ties-scope " + s + " is not global or tensor");
        }
    }

    private static Selector selector(String regex) {
        try {
            return Selector.matrices(regex);
        } catch (org.taulab.dsl.TauLabException e) {
            throw new TauLabCli.UsageException("--select: " + e.getMessage());
        }
    }

    private static double atLeastZero(String option, double v) {
        if (!(v >= 0)) {
            throw new TauLabCli.UsageException(option + " " + v + " is negative");
        }
        return v;
    }

    private static boolean requiresBase(String method) {
        return !method.equals("average") && !method.equals("cart");
    }

    private static DType parseDType(String d) {
        return switch (d.toLowerCase()) {
            case "f32", "float32" -> DType.F32;
            case "f16", "float16" -> DType.F16;
            case "bf16", "bfloat16" -> DType.BF16;
            case "f64", "float64" -> DType.F64;
            default -> throw new TauLabCli.UsageException("--dtype " + d + " is not f32, f16, bf16, f64 or keep");
        };
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
