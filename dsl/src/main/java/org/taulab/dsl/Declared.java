package org.taulab.dsl;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The {@code public static final} fields of one type declared by the top-level classes of a package: how the
 * catalogues (merges, learned merges) find their entries, so that adding one is adding its class. The package is
 * read from the directory or jar its anchor class was loaded from, in class-name order.
 */
public final class Declared {
    private Declared() {
    }

    public static <T> List<T> in(Class<?> anchor, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (String className : classNames(anchor)) {
            try {
                Class<?> c = Class.forName(className, true, anchor.getClassLoader());
                for (Field f : c.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == type) {
                        found.add(type.cast(f.get(null)));
                    }
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("cannot read the " + type.getSimpleName() + " entries of " + className, e);
            }
        }
        return found;
    }

    private static List<String> classNames(Class<?> anchor) {
        String pkg = anchor.getPackageName();
        String dir = pkg.replace('.', '/');
        URL here = anchor.getResource(anchor.getSimpleName() + ".class");
        List<String> names = new ArrayList<>();
        try {
            if (here != null && here.getProtocol().equals("file")) {
                try (Stream<Path> files = Files.list(Path.of(here.toURI()).getParent())) {
                    files.map(p -> p.getFileName().toString()).forEach(n -> addClass(names, pkg, n));
                }
            } else {
                Path jar = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
                try (JarFile j = new JarFile(jar.toFile())) {
                    Enumeration<JarEntry> entries = j.entries();
                    while (entries.hasMoreElements()) {
                        String n = entries.nextElement().getName();
                        if (n.startsWith(dir + "/") && n.indexOf('/', dir.length() + 1) < 0) {
                            addClass(names, pkg, n.substring(dir.length() + 1));
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot list the classes of " + pkg + " (" + e + ")", e);
        }
        names.sort(null);
        return names;
    }

    private static void addClass(List<String> names, String pkg, String file) {
        if (file.endsWith(".class") && !file.contains("$") && !file.equals("package-info.class")) {
            names.add(pkg + "." + file.substring(0, file.length() - ".class".length()));
        }
    }
}
