package org.taulab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.zoo.Zoo;
import org.taulab.dsl.zoo.ZooBuilder;
import org.taulab.dsl.zoo.ZooManifest;
import org.taulab.dsl.zoo.ZooRecipe;
import org.taulab.dsl.zoo.ZooRecipes;
import org.taulab.dsl.zoo.ZooVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taulab zoo build|verify|path}: the model zoos TauLab merges. */
@Command(name = "zoo", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = "Build, verify or locate a model zoo (pretrained encoder, fine-tuned encoders, frozen heads).",
        subcommands = {ZooCommand.Build.class, ZooCommand.Verify.class, ZooCommand.Where.class, ZooCommand.Card.class})
final class ZooCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (build, verify, path, card)");
    }

    @Command(name = "path", mixinStandardHelpOptions = true, description = "Print the zoo's directory.")
    static final class Where implements Callable<Integer> {
        @Option(names = "--zoo", defaultValue = Zoo.DEFAULT, description = "The zoo (default: ${DEFAULT-VALUE}).")
        String zoo;

        @Override
        public Integer call() {
            System.out.println(Zoo.open(zoo).dir().toAbsolutePath().normalize());
            return 0;
        }
    }

    @Command(name = "card", mixinStandardHelpOptions = true, usageHelpWidth = 120,
            description = {"The zoo's regime card beside CLIP ViT-B/32: pretrained, individual, weight averaging and task arithmetic",
                "(λ chosen on val), each also as the fraction of the pretrained-to-individual gap; the task vectors' cosines and",
                "sizes; the linear paths θ_pre → θ_t and θ_pre → θ_avg (figures as PNG); and the regime's criteria, met or not."})
    static final class Card implements Callable<Integer> {
        @Option(names = "--zoo", defaultValue = Zoo.DEFAULT, description = "The zoo (default: ${DEFAULT-VALUE}).")
        String zoo;

        @Option(names = "--split", defaultValue = "test", description = "val or test (default: ${DEFAULT-VALUE}); λ is chosen on val either way.")
        String split;

        @Option(names = "--format", defaultValue = "table", description = "table or csv (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", paramLabel = "DIR", description = "Where the figures go (default: out/card/ZOO).")
        Path out;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!split.equals("val") && !split.equals("test")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--split must be val or test, got '" + split + "'");
            }
            if (!format.equals("table") && !format.equals("csv")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format must be table or csv, got '" + format + "'");
            }
            Zoo z = Zoo.open(zoo);
            org.taulab.dsl.analysis.RegimeCard card = org.taulab.dsl.analysis.RegimeCard.measure(z, split, new TerminalProgress(System.err));
            ZooCard.print(card, format);
            Path dir = ZooCard.figures(card, out != null ? out : org.taulab.dsl.data.manifest.Manifests.home().resolve("out/card").resolve(z.name()));
            System.out.println("figures: " + dir.resolve("cosine-" + split + ".png") + ", " + dir.resolve("linear-paths-" + split + ".png"));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check every file of the zoo against its manifest (size, sha256, keys and shapes).")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--zoo", defaultValue = Zoo.DEFAULT, description = "The zoo (default: ${DEFAULT-VALUE}).")
        String zoo;

        @Override
        public Integer call() {
            Zoo z = Zoo.open(zoo);
            int checked = ZooVerifier.verify(z);
            System.out.println("zoo " + z.name() + ": " + checked + " files verified in " + z.dir());
            return 0;
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true, usageHelpWidth = 120,
            description = "Rebuild a zoo from scratch: pretrain (label-free contrastive pretext), fit frozen heads, fine-tune per task.")
    static final class Build implements Callable<Integer> {
        @Option(names = "--zoo", defaultValue = Zoo.DEFAULT, description = "The zoo to (re)build (default: ${DEFAULT-VALUE}).")
        String zoo;

        @Option(names = "--quick", description = "A tiny model and schedule (for tests; default: ${DEFAULT-VALUE}).")
        boolean quick;

        @Option(names = "--dir", description = "Build into this directory instead of the zoo's own (default: the zoo's directory).")
        Path dir;

        @Option(names = "--recipe", paramLabel = "FILE", description = "Build from this recipe (YAML: a build: section as in zoo.yaml, or its keys at the top)"
                + " instead of the build: section of the zoo's own zoo.yaml.")
        Path recipeFile;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Change one value of the recipe (repeatable), e.g. --set finetune_lr=2e-4.")
        java.util.List<String> sets = new java.util.ArrayList<>();

        @Option(names = "--reuse-pretrained", paramLabel = "FILE", description = "Skip pretraining: use this pretrained encoder"
                + " (made by a recipe with the same architecture, pretext and seed).")
        Path reusePretrained;

        @Override
        public Integer call() throws IOException {
            // A full build is a dedicated job, so PyTorch gets every core (2.2x faster per pretraining step on 2 idle
            // cores than the one thread other commands use); JAVA_OPTS=-Dai.djl.pytorch.num_threads=1 restores one.
            if (!quick && System.getProperty("ai.djl.pytorch.num_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
            }
            ZooRecipe recipe = quick ? ZooRecipe.quick() : ZooRecipes.of(zoo, recipeFile, sets);
            Path target = (dir != null ? dir : Zoo.dirOf(zoo)).toAbsolutePath().normalize();
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path building = org.taulab.dsl.io.OutputFile.removedOnStop(Files.createTempDirectory(parent, "." + target.getFileName() + ".building-"));
            long start = System.nanoTime();
            ZooBuilder builder = new ZooBuilder(recipe, new TerminalProgress(System.err));
            org.taulab.dsl.analysis.RegimeCard val;
            org.taulab.dsl.analysis.RegimeCard test;
            try {
                Zoo built = builder.build(zoo, building, reusePretrained);
                val = org.taulab.dsl.analysis.RegimeCard.measure(built, "val", new TerminalProgress(System.err));
                test = org.taulab.dsl.analysis.RegimeCard.measure(built, "test", new TerminalProgress(System.err));
                ZooManifest m = built.manifest().withCards(test.asMap(), val.asMap());
                Path oldFile = target.resolve(ZooManifest.FILE);
                ZooManifest old = Files.isRegularFile(oldFile) ? ZooManifest.read(oldFile) : null;
                if (old != null && old.candidates() != null) {
                    m = m.withCandidates(old.candidates());
                }
                m.write(building.resolve(ZooManifest.FILE));
                keepOwnFiles(target, building);
                replace(building, target);
            } catch (RuntimeException e) {
                deleteTree(building);
                throw e;
            } finally {
                org.taulab.dsl.io.OutputFile.finished(building);
            }
            System.out.println("regime card on val (the split recipes are chosen on):");
            ZooCard.print(val, "table");
            System.out.printf("zoo %s built in %s in %.1f min%n", zoo, target, (System.nanoTime() - start) / 60e9);
            return 0;
        }

        /** Files of the old zoo folder that a build does not make (a recipe, notes) move into the new one. */
        private static void keepOwnFiles(Path target, Path building) throws IOException {
            if (!Files.isDirectory(target)) {
                return;
            }
            try (Stream<Path> s = Files.list(target)) {
                for (Path p : s.toList()) {
                    Path to = building.resolve(p.getFileName().toString());
                    if (Files.isRegularFile(p) && !Files.exists(to)) {
                        Files.copy(p, to);
                    }
                }
            }
        }

        /** Swaps the finished build in; the previous zoo is removed only once the new one is in place. */
        private static void replace(Path built, Path target) throws IOException {
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
                Files.move(target, old);
            }
            try {
                Files.move(built, target);
            } catch (IOException e) {
                if (old != null) {
                    Files.move(old, target);
                }
                throw new TauLabException(target + ": cannot move the built zoo into place (" + e.getMessage() + ")");
            }
            if (old != null) {
                deleteTree(old);
            }
        }

        private static void deleteTree(Path p) {
            try {
                org.taulab.dsl.io.OutputFile.deleteTree(p);
            } catch (IOException ignored) {
                // leftovers are hidden (dot-named) directories
            }
        }
    }
}
