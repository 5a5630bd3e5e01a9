package org.taulab.dsl.learn;

import java.util.ArrayList;
import java.util.List;
import org.taulab.dsl.Declared;
import org.taulab.dsl.TauLabException;

/** Every learned merge: the {@code public static final LearnMethod} fields of this package's classes, in class order. */
public final class LearnCatalogue {
    private LearnCatalogue() {
    }

    private static final class Holder {
        static final List<LearnMethod> ALL = List.copyOf(Declared.in(LearnCatalogue.class, LearnMethod.class));
    }

    public static List<LearnMethod> all() {
        return Holder.ALL;
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        all().forEach(m -> names.add(m.name()));
        return names;
    }

    /** The method called {@code spelling} (its name or Java name), or an error listing them. */
    public static LearnMethod require(String spelling) {
        for (LearnMethod m : all()) {
            if (m.name().equals(spelling) || m.javaName().equals(spelling)) {
                return m;
            }
        }
        throw new TauLabException("unknown learned merge '" + spelling + "' (" + String.join(", ", names()) + ")");
    }
}
