package org.taulab.dsl.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.taulab.dsl.Declared;
import org.taulab.dsl.TauLabException;

/**
 * Every training-free merge TauLab has, found once: each class of this package that declares
 * {@code public static final MergeMethod METHOD}. Adding a merge is one new class here (plus its test); the
 * command line, {@code %%tau}, the Java facade, the demo and the methods table all read this list.
 */
public final class MergeCatalogue {
    private MergeCatalogue() {
    }

    private static final class Holder {
        static final List<MergeMethod> ALL = discover();
    }

    /** Every merge, in catalogue order (the papers' seeds first), then by name. */
    public static List<MergeMethod> all() {
        return Holder.ALL;
    }

    /** The merge answering to {@code spelling} (name, Java name or alias), or null. */
    public static MergeMethod find(String spelling) {
        for (MergeMethod m : all()) {
            if (m.answersTo(spelling)) {
                return m;
            }
        }
        return null;
    }

    /** As {@link #find}, or an error that lists the merges there are. */
    public static MergeMethod require(String spelling) {
        MergeMethod m = find(spelling);
        if (m == null) {
            throw new TauLabException("unknown merge method '" + spelling + "' (" + String.join(", ", names()) + ")");
        }
        return m;
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        all().forEach(m -> names.add(m.name()));
        return names;
    }

    /** The methods table of the README: name, base, parameters with defaults, what it does, where it comes from. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| method | base | parameters (default) | what it does | source |\n| --- | --- | --- | --- | --- |\n");
        for (MergeMethod m : all()) {
            List<String> params = new ArrayList<>();
            m.params().forEach(p -> params.add("`" + p.name() + "` (" + p.defaultText() + ")"));
            sb.append("| `").append(m.name()).append("` | ").append(m.needsBase() ? "needed" : "optional").append(" | ")
                    .append(params.isEmpty() ? "none" : String.join(", ", params)).append(" | ").append(m.summary().replace("|", "\\|"))
                    .append(" | ").append(m.source()).append(" |\n");
        }
        return sb.toString();
    }

    private static List<MergeMethod> discover() {
        List<MergeMethod> found = new ArrayList<>(Declared.in(MergeCatalogue.class, MergeMethod.class));
        found.sort(Comparator.comparingInt(MergeMethod::order).thenComparing(MergeMethod::name));
        for (int i = 0; i < found.size(); i++) {
            for (int j = 0; j < i; j++) {
                for (String spelling : spellings(found.get(i))) {
                    if (found.get(j).answersTo(spelling)) {
                        throw new IllegalStateException("merge catalogue: '" + spelling + "' names both "
                                + found.get(j).name() + " and " + found.get(i).name());
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    private static List<String> spellings(MergeMethod m) {
        List<String> s = new ArrayList<>(m.aliases());
        s.add(m.name());
        s.add(m.javaName());
        return s;
    }
}
