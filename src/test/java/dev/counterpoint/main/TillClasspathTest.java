package dev.counterpoint.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The till's package ships target/lib-till: the runtime libraries without head office's (pom.xml, office.only.*;
 * decision 0073). Every class of the till (all but dev.counterpoint.office, the `office` commands and the console's
 * compiled templates) must load and run with those alone.
 */
class TillClasspathTest {
    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path LIB = Path.of("target", "lib");
    private static final Path LIB_TILL = Path.of("target", "lib-till");

    @TempDir
    Path tmp;

    private static boolean isHeadOffice(String classFile) {
        return classFile.startsWith("dev/counterpoint/office/") || classFile.startsWith("dev/counterpoint/cli/Office")
                || classFile.startsWith("gg/jte/generated/");
    }

    private static List<Path> jars(Path dir) throws IOException {
        assertThat(dir).as("made by mvn process-test-classes (maven-dependency-plugin)").isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static List<String> tillClassFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> CLASSES.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !isHeadOffice(f)).sorted().toList();
        }
    }

    /** The packages (as a/b/) of the classes in the libraries the till leaves out. */
    private static Set<String> officeOnlyPackages() throws IOException {
        Set<String> till = new TreeSet<>();
        jars(LIB_TILL).forEach(j -> till.add(j.getFileName().toString()));
        Set<String> packages = new TreeSet<>();
        for (Path jar : jars(LIB)) {
            if (till.contains(jar.getFileName().toString())) {
                continue;
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().map(e -> e.getName())
                        .filter(n -> n.endsWith(".class") && n.contains("/") && !n.startsWith("META-INF/"))
                        .forEach(n -> packages.add(n.substring(0, n.lastIndexOf('/') + 1)));
            }
        }
        return packages;
    }

    @Test
    void theTillsLibrariesLeaveHeadOfficesOut() throws IOException {
        List<String> till = jars(LIB_TILL).stream().map(j -> j.getFileName().toString()).toList();
        List<String> all = jars(LIB).stream().map(j -> j.getFileName().toString()).toList();
        assertThat(all).containsAll(till);
        assertThat(till).noneMatch(j -> j.matches("(javalin|jetty|websocket|postgresql|flyway-database-postgresql|jte|"
                + "bcprov|fastexcel|kotlin|htmx|echarts).*"));
        assertThat(till).anyMatch(j -> j.startsWith("javafx-controls")).anyMatch(j -> j.startsWith("h2-"))
                .anyMatch(j -> j.startsWith("java-keyring")).anyMatch(j -> j.startsWith("jSerialComm"));
    }

    @Test
    void noTillClassRefersToAHeadOfficeLibrary() throws IOException {
        Set<String> packages = officeOnlyPackages();
        assertThat(packages).contains("io/javalin/", "org/eclipse/jetty/server/", "gg/jte/", "org/postgresql/");
        List<String> offending = new ArrayList<>();
        for (String classFile : tillClassFiles()) {
            // Class names in a class file's constant pool are UTF-8 as a/b/C (descriptors as La/b/C;).
            String pool = new String(Files.readAllBytes(CLASSES.resolve(classFile)), StandardCharsets.ISO_8859_1);
            for (String p : packages) {
                int at = pool.indexOf(p);
                if (at >= 0) {
                    String name = pool.substring(at).split("[^A-Za-z0-9_$/]", 2)[0];
                    offending.add(classFile + " -> " + name);
                }
            }
        }
        assertThat(offending).as("till classes using head office's libraries (move them, or the library out of "
                + "office.only.* in pom.xml)").isEmpty();
    }

    @Test
    void everyTillClassLoadsWithTheTillsLibraries() throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(CLASSES.toUri().toURL());
        for (Path jar : jars(LIB_TILL)) {
            urls.add(jar.toUri().toURL());
        }
        List<String> failed = new ArrayList<>();
        int loaded = 0;
        try (URLClassLoader till = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThat(till.getResource("io/javalin/Javalin.class")).isNull();
            for (String classFile : tillClassFiles()) {
                String name = classFile.substring(0, classFile.length() - ".class".length()).replace('/', '.');
                try {
                    // Not initialised (no window, no database); the signatures' types resolve, so a field, parameter
                    // or return type from a missing library fails here.
                    Class<?> c = Class.forName(name, false, till);
                    c.getDeclaredFields();
                    c.getDeclaredMethods();
                    c.getDeclaredConstructors();
                    loaded++;
                } catch (LinkageError | ClassNotFoundException e) {
                    failed.add(name + ": " + e);
                }
            }
        }
        assertThat(failed).isEmpty();
        assertThat(loaded).isGreaterThan(300);
    }

    @Test
    void theTillRunsWithItsLibrariesAndSendsOfficeElsewhere() throws Exception {
        String cp = CLASSES.toAbsolutePath() + java.io.File.pathSeparator + LIB_TILL.toAbsolutePath().resolve("*");
        Path data = tmp.resolve("data");

        Result version = java(cp, "--version");
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output()).startsWith("Counterpoint ");

        Result lookup = java(cp, "--data-dir", data.toString(), "lookup", "2900000000018");
        assertThat(lookup.exit()).as("an unknown card in a new, empty store: %s", lookup.output()).isEqualTo(3);
        assertThat(data.resolve("db")).isDirectory();

        Result office = java(cp, "--data-dir", tmp.resolve("office").toString(), "office", "add-terminal", "--store",
                "S1", "--terminal", "T1");
        assertThat(office.exit()).as(office.output()).isEqualTo(2);
        assertThat(office.output()).contains("head office is not part of this installation")
                .doesNotContain("Exception");
    }

    private record Result(int exit, String output) {}

    private Result java(String classPath, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Dcounterpoint.keyDir=" + tmp.resolve("keys"), "-cp", classPath,
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
