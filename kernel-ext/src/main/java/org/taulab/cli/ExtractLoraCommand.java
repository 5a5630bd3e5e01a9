package org.taulab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.linalg.SvdChoice;
import org.taulab.dsl.lora.LoraExtraction;
import org.taulab.dsl.tensor.ModelFolderWriter;
import org.taulab.dsl.tensor.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taulab extract-lora}: a fine-tuned model's task vector as a PEFT LoRA adapter of rank R. */
@Command(name = "extract-lora", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {"Write a fine-tuned model's task vector as a PEFT LoRA adapter: per selected matrix the rank-R truncated SVD of "
                + "FT − BASE, as lora_B = U√Σ and lora_A = √Σ Vᵀ with lora_alpha = r (adapter_config.json and adapter_model.safetensors).",
                "Merge it back as a task vector: taulab merge METHOD --base BASE --out OUT ADAPTER_DIR ..."})
final class ExtractLoraCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "PRE", description = "The base model the adapter applies to (a file, a model folder or its index).")
    Path base;

    @Option(names = "--rank", required = true, paramLabel = "R", description = "The adapter's rank r (matrices smaller than R keep their full rank).")
    int rank;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The adapter folder to write (a new or empty one).")
    Path out;

    @Option(names = "--select", paramLabel = "REGEX", defaultValue = LoraExtraction.DEFAULT_SELECT,
            description = "The 2-D .weight tensors to adapt, by name (default: every one except embeddings: ${DEFAULT-VALUE}).")
    String select;

    @Option(names = "--svd", paramLabel = "exact|truncated|auto", defaultValue = "auto",
            description = "How each matrix is decomposed (default: ${DEFAULT-VALUE}: truncated when R is small against the matrix).")
    String svd;

    @Parameters(index = "0", paramLabel = "FT", description = "The fine-tuned model.")
    Path finetuned;

    @Override
    public Integer call() {
        if (rank < 1) {
            throw new TauLabCli.UsageException("--rank must be at least 1, got " + rank);
        }
        try {
            Pattern.compile(select);
        } catch (PatternSyntaxException e) {
            throw new TauLabCli.UsageException("--select '" + select + "' is not a regex (" + e.getDescription() + ")");
        }
        SvdChoice choice;
        try {
            choice = SvdChoice.parse(svd);
            ModelFolderWriter.checkTarget(out);
        } catch (TauLabException e) {
            throw new TauLabCli.UsageException((e.getMessage().startsWith("svd") ? "--" : "--out ") + e.getMessage());
        }
        for (Path in : new Path[] {base, finetuned}) {
            if (!Files.exists(in)) {
                throw new TauLabCli.UsageException(in + ": no such file or folder");
            }
        }
        long start = System.nanoTime();
        Weights pre = Weights.load(base);
        Weights ft = Weights.load(finetuned);
        LoraExtraction.extract(pre, ft, rank, select, choice, out, SaveOptions.defaults().reporting(new TerminalProgress(System.err)));
        System.out.printf("extracted a rank-%d LoRA adapter of %s on %s -> %s in %.2f s%n", rank, finetuned, base, out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
