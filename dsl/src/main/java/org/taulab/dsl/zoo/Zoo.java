package org.taulab.dsl.zoo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taulab.dsl.TauLabException;
import org.taulab.dsl.data.BenchmarkData;
import org.taulab.dsl.data.TaskData;
import org.taulab.dsl.data.manifest.Manifests;
import org.taulab.dsl.tensor.Weights;

/**
 * A model zoo on disk: {@code pretrained.safetensors}, {@code finetuned/<task>.safetensors} (same keys and
 * shapes), {@code heads/<task>.safetensors} (frozen heads: {@code weight}, {@code bias}) and the manifest
 * {@code zoo.yaml}. The embedded benchmark's zoo is {@code zoo/mini8} in the repository.
 */
public final class Zoo {
    public static final String DEFAULT = "mini8";

    private final String name;
    private final Path dir;
    private final ZooManifest manifest;

    private Zoo(String name, Path dir, ZooManifest manifest) {
        this.name = name;
        this.dir = dir;
        this.manifest = manifest;
    }

    /** The zoo directory for a name: {@code <home>/zoo/<name>}, or the name itself when it is a directory. */
    public static Path dirOf(String name) {
        Path asPath = Path.of(name);
        if (name.contains("/") && Files.isDirectory(asPath)) {
            return asPath;
        }
        return Manifests.home().resolve("zoo").resolve(name);
    }

    public static Zoo open(String name) {
        return at(dirOf(name), name);
    }

    /** The zoo stored in {@code dir}. */
    public static Zoo at(Path dir, String name) {
        Path manifestFile = dir.resolve(ZooManifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new TauLabException("zoo " + name + ": no " + manifestFile + " (build it with: bin/taulab zoo build --zoo " + name + ")");
        }
        return new Zoo(name, dir, ZooManifest.read(manifestFile));
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public ZooManifest manifest() {
        return manifest;
    }

    public List<String> tasks() {
        return new ArrayList<>(manifest.tasks());
    }

    public Path pretrainedFile() {
        return dir.resolve("pretrained.safetensors");
    }

    public Path finetunedFile(String task) {
        return dir.resolve("finetuned").resolve(task + ".safetensors");
    }

    public Path headFile(String task) {
        return dir.resolve("heads").resolve(task + ".safetensors");
    }

    public Weights pretrained() {
        return Weights.load(pretrainedFile());
    }

    public Weights finetuned(String task) {
        requireTask(task);
        return Weights.load(finetunedFile(task)).named(task);
    }

    /** The fine-tuned models by task name, in task order; {@code get} of a name that is no task fails naming it. */
    public Map<String, Weights> finetuned() {
        Map<String, Weights> all = new LinkedHashMap<>();
        for (String t : tasks()) {
            all.put(t, finetuned(t));
        }
        return new TaskMap<>(name, all);
    }

    public Weights head(String task) {
        requireTask(task);
        return Weights.load(headFile(task));
    }

    /** The benchmark tasks (data) of this zoo, in the zoo's task order. */
    public List<TaskData> data() {
        List<TaskData> out = new ArrayList<>();
        for (String t : tasks()) {
            out.add(BenchmarkData.task(manifest.benchmark(), t));
        }
        return out;
    }

    private void requireTask(String task) {
        if (!manifest.tasks().contains(task)) {
            throw new TauLabException(TaskMap.noTask(name, task, manifest.tasks()));
        }
    }
}
