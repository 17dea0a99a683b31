package dev.troupe.memory.testing;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A class loader over the running test's class path minus some jars, as an application that did not
 * add those dependencies would see the classes; its parent is the platform loader, so nothing of the
 * test's own loader leaks in.
 */
public final class ClassPathWithout {
    private ClassPathWithout() {}

    /** Every class-path entry except the jars whose file name starts with {@code jarPrefix}, e.g. {@code sqlite-jdbc}. */
    public static URLClassLoader jars(String jarPrefix) {
        // Surefire runs the tests from a manifest-only jar and passes the real class path in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        URL[] entries = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !Path.of(entry).getFileName().toString().startsWith(jarPrefix))
                .map(ClassPathWithout::url).toArray(URL[]::new);
        return new URLClassLoader(entries, ClassLoader.getPlatformClassLoader());
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("class-path entry " + entry + " is not a path", e);
        }
    }
}
