package org.taulab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.zoo.Zoo;
import org.taulab.dsl.zoo.ZooBuilder;
import org.taulab.dsl.zoo.ZooRecipe;
import org.taulab.dsl.zoo.ZooVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taulab zoo build|verify|path}: the model zoos TauLab merges. */
@Command(name = "zoo", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = "Build, verify or locate a model zoo (pretrained encoder, fine-tuned encoders, frozen heads).",
        subcommands = {ZooCommand.Build.class, ZooCommand.Verify.class, ZooCommand.Where.class})
final class ZooCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (build, verify, path)");
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

        @Override
        public Integer call() throws IOException {
            Path target = (dir != null ? dir : Zoo.dirOf(zoo)).toAbsolutePath().normalize();
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path building = Files.createTempDirectory(parent, "." + target.getFileName() + ".building-");
            long start = System.nanoTime();
            ZooBuilder builder = new ZooBuilder(quick ? ZooRecipe.quick() : ZooRecipe.standard(), new TerminalProgress(System.err));
            try {
                builder.build(zoo, building);
                replace(building, target);
            } catch (RuntimeException e) {
                deleteTree(building);
                throw e;
            }
            System.out.println(builder.report().table().print());
            System.out.printf("zoo %s built in %s in %.1f min%n", zoo, target, (System.nanoTime() - start) / 60e9);
            return 0;
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
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // leftovers are hidden (dot-named) directories
            }
        }
    }
}
