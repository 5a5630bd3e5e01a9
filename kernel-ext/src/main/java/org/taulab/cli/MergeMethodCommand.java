package org.taulab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.io.DType;
import org.taulab.dsl.io.SaveOptions;
import org.taulab.dsl.merge.BadParameter;
import org.taulab.dsl.merge.Merge;
import org.taulab.dsl.merge.MergeInputs;
import org.taulab.dsl.merge.MergeMethod;
import org.taulab.dsl.merge.MergeResult;
import org.taulab.dsl.merge.ParamSpec;
import org.taulab.dsl.merge.config.ConfiguredMerge;
import org.taulab.dsl.merge.config.MergeConfig;
import org.taulab.dsl.tensor.ModelFolderWriter;
import org.taulab.dsl.tensor.SafetensorsWriter;
import org.taulab.dsl.tensor.Weights;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code taulab merge NAME}: the subcommand of one catalogue entry, its options made from the entry's parameters
 * ({@code min_agree} is {@code --min-agree}; aliases keep older spellings). It reads the inputs, runs the merge
 * and saves it; the merge picks its own fastest path and the saved file records its provenance.
 */
final class MergeMethodCommand implements Callable<Integer> {
    private final MergeMethod method;
    private CommandSpec spec;

    private MergeMethodCommand(MergeMethod method) {
        this.method = method;
    }

    static CommandLine commandLine(MergeMethod method) {
        MergeMethodCommand command = new MergeMethodCommand(method);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        command.spec = spec;
        spec.name(method.name());
        List<String> aliases = new ArrayList<>(method.aliases());
        if (!method.javaName().equals(method.name())) {
            aliases.add(method.javaName());
        }
        spec.aliases(aliases.toArray(String[]::new));
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage().width(120).sortOptions(false).description(method.summary() + ".",
                (method.models() > 0 ? "Exactly " + method.models() + " models. " : "")
                        + (method.needsBase() ? "Needs --base." : "No base needed (when --base is given, integer and bool tensors are copied from it).")
                        + " " + method.source() + ".");
        spec.addOption(OptionSpec.builder("--base").paramLabel("PRE.safetensors").type(Path.class)
                .required(false).description(method.needsBase() ? "The pretrained checkpoint (required)." : "The pretrained checkpoint (optional).").build());
        spec.addOption(OptionSpec.builder("--out").paramLabel("OUT").type(Path.class).required(true)
                .description("Where to write the merged model (never one of the inputs): a .safetensors file, or a model folder "
                        + "(a new or empty one) when the base is a folder or --shard-size is given.").build());
        spec.addOption(OptionSpec.builder("--config").paramLabel("MERGE.yaml").type(Path.class)
                .description("A merge config (mergekit's fields: base_model, models with their weight, parameters with values per layer "
                        + "or per tensor-name regex, dtype, shard_size, tokenizer_source); it replaces --base, the models and the method's options.").build());
        spec.addOption(OptionSpec.builder("--shard-size").paramLabel("SIZE").type(String.class)
                .description("Write a Hugging Face model folder with shards of at most SIZE (bytes, or with KB, MB, GB, KiB, MiB, GiB; "
                        + "default when the base is a folder: 5GB).").build());
        spec.addOption(OptionSpec.builder("--files-from").paramLabel("DIR").type(Path.class)
                .description("The model folder whose config.json, tokenizer and other non-weight files go into an output folder "
                        + "(default: the base, when it is a folder).").build());
        for (ParamSpec p : method.params()) {
            List<String> names = new ArrayList<>();
            names.add(p.option());
            p.aliases().forEach(a -> names.add("--" + a.replace('_', '-')));
            boolean perModel = p.name().equals("lambda") && method.needsBase();
            OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new))
                    .description(p.doc() + " (" + p.rangeText() + (perModel ? ", or one per fine-tuned model in their order, comma-separated" : "")
                            + "; default: " + p.defaultText() + ").");
            if (p.kind() == ParamSpec.Kind.BOOLEAN) {
                b.type(Boolean.class).arity("0..1").fallbackValue("true");
            } else {
                b.type(String.class).paramLabel(perModel ? "X[,X...]" : label(p));
            }
            spec.addOption(b.build());
        }
        spec.addOption(OptionSpec.builder("--dtype").paramLabel("D").type(String.class).defaultValue("f32")
                .description("Float dtype of the output: f32, f16, bf16, f64, or keep (each tensor as in the base/first input) (default: ${DEFAULT-VALUE}).").build());
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel("FT.safetensors")
                .type(List.class).auxiliaryTypes(Path.class).description("The fine-tuned checkpoints.").build());
        return new CommandLine(spec);
    }

    /** {@code --topk K}, as the list and the help show an option. */
    static String optionSyntax(ParamSpec p) {
        return p.kind() == ParamSpec.Kind.BOOLEAN ? p.option() : p.option() + " " + label(p);
    }

    private static String label(ParamSpec p) {
        return switch (p.kind()) {
            case RANK -> "R";
            case SELECTOR -> "REGEX";
            case CHOICE -> String.join("|", p.choices());
            case INTEGER -> "N";
            case NUMBERS -> "X[,X...]";
            default -> "X";
        };
    }

    @Override
    public Integer call() {
        Path out = spec.findOption("--out").getValue();
        Path configFile = spec.findOption("--config").getValue();
        MergeConfig config = configFile == null ? null : config(configFile);
        Path basePath = config != null ? config.base() : spec.findOption("--base").getValue();
        List<Path> given = spec.positionalParameters().get(0).getValue();
        List<Path> finetuned = config != null ? config.models().stream().map(MergeConfig.ModelEntry::path).toList() : given == null ? List.of() : given;
        String dtype = config != null && config.dtype() != null && !wasTyped("--dtype") ? config.dtype() : spec.findOption("--dtype").getValue();
        String shardText = config != null && config.shardSize() != null && !wasTyped("--shard-size") ? config.shardSize() : spec.findOption("--shard-size").getValue();
        Path filesFrom = config != null && config.filesFrom() != null && !wasTyped("--files-from") ? config.filesFrom() : spec.findOption("--files-from").getValue();
        if (finetuned.isEmpty()) {
            throw new TauLabCli.UsageException("name the fine-tuned models (FT...), or a merge config with --config FILE");
        }
        Path baseFolder = basePath == null ? null : Files.isDirectory(basePath) ? basePath
                : basePath.getFileName() != null && basePath.getFileName().toString().endsWith(".index.json") ? basePath.toAbsolutePath().getParent() : null;
        boolean folder = shardText != null || baseFolder != null;
        long shardSize = 0;
        if (folder) {
            try {
                shardSize = shardText == null ? ModelFolderWriter.DEFAULT_SHARD_SIZE : ModelFolderWriter.parseSize(shardText);
                ModelFolderWriter.checkTarget(out);
            } catch (TauLabException e) {
                throw new TauLabCli.UsageException((shardText != null && e.getMessage().startsWith("'") ? "--shard-size " : "--out ") + e.getMessage());
            }
            if (filesFrom == null) {
                filesFrom = baseFolder;
            } else if (!Files.isDirectory(filesFrom)) {
                throw new TauLabCli.UsageException("--files-from " + filesFrom + ": not a folder");
            }
        } else {
            if (filesFrom != null) {
                throw new TauLabCli.UsageException("--files-from needs a folder output: give --shard-size, or a base that is a model folder");
            }
            TauLabCli.checkOut(out);
        }
        Merge merge = config == null ? merge() : null;
        DType outType = dtype.equalsIgnoreCase("keep") ? null : parseDType(dtype);
        List<Path> inputs = new ArrayList<>(finetuned);
        if (basePath != null) {
            inputs.add(0, basePath);
        }
        for (Path in : inputs) {
            if (SafetensorsWriter.sameFile(out, in)) {
                throw new TauLabCli.UsageException("--out " + out + " is one of the inputs; refusing to overwrite it");
            }
        }
        if (method.models() > 0 && finetuned.size() != method.models()) {
            throw new TauLabCli.UsageException(method.name() + " merges exactly " + method.models() + " models, got " + finetuned.size());
        }
        if (method.needsBase() && basePath == null) {
            throw new TauLabCli.UsageException(method.name() + " needs the pretrained model: add --base PRE.safetensors"
                    + (config != null ? " (in the config: base_model: PATH)" : ""));
        }
        long start = System.nanoTime();
        MergeResult merged;
        try {
            if (config != null) {
                merged = ConfiguredMerge.run(config, method, true);
            } else {
                Weights pre = basePath == null ? null : Weights.load(basePath);
                List<Weights> fts = new ArrayList<>();
                for (Path p : finetuned) {
                    fts.add(org.taulab.dsl.lora.LoraAdapter.modelOrAdapter(p, pre));
                }
                merged = merge.apply(new MergeInputs(pre, fts).oneShot());
            }
        } catch (BadParameter e) {
            throw usage(e);
        } catch (MergeConfig.ConfigError e) {
            throw new TauLabCli.UsageException(e.getMessage());
        }
        SaveOptions options = SaveOptions.defaults().protecting(inputs).reporting(new TerminalProgress(System.err));
        SaveOptions typed = outType == null ? options.keepInputDType() : options.dtype(outType);
        if (folder) {
            merged.saveFolder(out, typed, shardSize, filesFrom);
        } else {
            merged.save(out, typed);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("merged %d models with %s %s -> %s (%d tensors, %.1f MB%s) in %.2f s%n", finetuned.size(), method.name(),
                printable(merge != null ? merge.parameters() : merged.parameters()), out, merged.size(), fileSize(out) / 1e6, folder ? shards(out) : "", seconds);
        return 0;
    }

    /** The config, read and checked before any work; with it, models and parameters come from the file only. */
    private MergeConfig config(Path file) {
        List<String> clash = new ArrayList<>();
        for (String option : List.of("--base")) {
            if (wasTyped(option)) {
                clash.add(option);
            }
        }
        for (ParamSpec p : method.params()) {
            if (spec.findOption(p.option()).getValue() != null) {
                clash.add(p.option());
            }
        }
        List<Path> given = spec.positionalParameters().get(0).getValue();
        if (given != null && !given.isEmpty()) {
            clash.add("the fine-tuned models");
        }
        if (!clash.isEmpty()) {
            throw new TauLabCli.UsageException("--config " + file + " gives the models and parameters; not also " + String.join(", ", clash));
        }
        if (!Files.isRegularFile(file)) {
            throw new TauLabCli.UsageException("--config " + file + ": no such file");
        }
        try {
            MergeConfig c = MergeConfig.read(file);
            c.method(method.name());
            return c;
        } catch (TauLabException e) {
            throw new TauLabCli.UsageException(e.getMessage());
        }
    }

    /** Whether the user typed {@code option} (picocli fills in defaults, so a value alone does not tell). */
    private boolean wasTyped(String option) {
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            if (arg.equals(option) || arg.startsWith(option + "=")) {
                return true;
            }
        }
        return false;
    }

    /** The merge with the options given; a bad value is a usage error naming the option. */
    private Merge merge() {
        Map<String, Object> given = new LinkedHashMap<>();
        for (ParamSpec p : method.params()) {
            Object v = spec.findOption(p.option()).getValue();
            if (v != null) {
                given.put(p.name(), v);
            }
        }
        try {
            return method.create(given);
        } catch (BadParameter e) {
            throw usage(e);
        }
    }

    /** A bad value as a usage error naming the option as typed: {@code --topk 1.5: must be in [0, 1]}. */
    private TauLabCli.UsageException usage(BadParameter e) {
        OptionSpec option = spec.findOption(e.parameter().option());
        String given = e.value() == null ? "" : " " + ParamSpec.text(e.value());
        return new TauLabCli.UsageException(typed(option) + given + ": " + e.reason());
    }

    /** The spelling of {@code option} the user typed (an alias such as --ties-scope), for messages. */
    private String typed(OptionSpec option) {
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return name;
                }
            }
        }
        return option.longestName();
    }

    private static Map<String, String> printable(Map<String, Object> parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        parameters.forEach((k, v) -> out.put(k, ParamSpec.text(v)));
        return out;
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
            if (Files.isDirectory(p)) {
                try (java.util.stream.Stream<Path> files = Files.list(p)) {
                    return files.filter(f -> f.toString().endsWith(".safetensors")).mapToLong(MergeMethodCommand::fileSize).sum();
                }
            }
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String shards(Path folder) {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            long n = files.filter(f -> f.toString().endsWith(".safetensors")).count();
            return " in " + n + (n == 1 ? " file" : " shards");
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
