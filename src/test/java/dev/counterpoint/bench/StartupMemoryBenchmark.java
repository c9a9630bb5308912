package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Child JVMs started as a store terminal starts (the options in {@code installer/java-options} and an AppCDS
 * archive dumped by a first start, as {@code installer/counterpoint} does), under headless Monocle:
 * <ul>
 *   <li>start-up: process start to the "ready to scan" line (counter window shown, bench store open), against a
 *       bare JavaFX window writing the same line, started the same way; {@link #RUNS} of each, alternating,
 *       medians compared; also both with the JVM's default flags and no archive;</li>
 *   <li>memory: VmRSS of a process that opened the bench store and showed 1,000 random members' panels, and of the
 *       counter window itself when it is ready to scan.</li>
 * </ul>
 * The classes run from jars made here from target/classes and target/test-classes: the JVM archives classes only
 * from jars (a class folder on the class path makes it refuse), as the shipped jar is.
 */
class StartupMemoryBenchmark {
    static final int RUNS = Integer.getInteger("bench.startupRuns", 3);
    static final Path JAVA_OPTIONS = Path.of("installer", "java-options");
    static final List<String> HEADLESS = List.of("-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
            "-Dprism.order=sw", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8");

    /** The terminal's JVM options: the argfile's words without its comments. */
    static List<String> terminalOptions() throws IOException {
        return Files.readAllLines(JAVA_OPTIONS).stream().map(l -> l.replaceFirst("#.*", "").strip())
                .filter(l -> !l.isEmpty()).flatMap(l -> Arrays.stream(l.split("\\s+"))).toList();
    }

    private record Started(long nanos, long rssMb) {}

    private static List<String> java(String classPath, String mainClass, List<String> args, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(HEADLESS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    private static List<String> plus(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    /** Starts the command, waits for the marker line, reads the child's RSS, kills it (SIGTERM). */
    private static Started timeToMarker(List<String> cmd, Path marker, String line) throws IOException, InterruptedException {
        Files.deleteIfExists(marker);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            while (!(Files.exists(marker) && Files.readString(marker).contains(line))) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("child exited " + p.exitValue() + ": " + String.join(" ", cmd));
                }
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                    throw new IllegalStateException("no marker after 120 s: " + String.join(" ", cmd));
                }
                Thread.sleep(2);
            }
            return new Started(System.nanoTime() - t0, rssMb(p));
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS); // a dumping child writes its archive on the way out
        }
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double ratio(long[] a, long[] b) {
        return Math.round(median(a) * 100.0 / median(b)) / 100.0;
    }

    /** A jar of the class files under {@code dir} that {@code keep} accepts (by path relative to dir). */
    private static Path jar(Path dir, Predicate<String> keep, Path out) throws IOException {
        Files.createDirectories(out.getParent());
        try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file);
                Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
                if (keep.test(name)) {
                    jar.putNextEntry(new JarEntry(name));
                    Files.copy(f, jar);
                    jar.closeEntry();
                }
            }
        }
        return out;
    }

    @Test
    void startUpAndMemory() throws Exception {
        Path store = BenchStore.dataDir();
        Path work = Path.of("target", "bench", "startup").toAbsolutePath();
        List<String> options = terminalOptions();
        // Dependencies as jars, as the shipped lib/ folder; this build's classes and the baseline as jars too.
        String deps = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar")).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
        String appCp = jar(Path.of("target", "classes"), n -> true, work.resolve("counterpoint.jar"))
                + File.pathSeparator + deps;
        String helloCp = jar(Path.of("target", "test-classes"), n -> n.startsWith("dev/counterpoint/bench/HelloFxApp"),
                work.resolve("hello.jar")) + File.pathSeparator + deps;
        Path appJsa = work.resolve("counterpoint.jsa");
        Path helloJsa = work.resolve("hello.jsa");
        Files.deleteIfExists(appJsa);
        Files.deleteIfExists(helloJsa);

        // The children's class path is jars only (no logback-test.xml): the counter logs as installed, into the data dir.
        Path log = store.resolve("logs").resolve("counterpoint.log");
        Path helloMarker = work.resolve("hello.marker");
        List<String> terminal = List.of("--data-dir", store.toString(), "terminal");
        String main = "dev.counterpoint.main.Main";
        String hello = HelloFxApp.class.getName();
        List<String> helloArgs = List.of(helloMarker.toString());
        List<String> shipped = options;

        // The launcher's first start: it records the classes and dumps the archive on the way out.
        timeToMarker(java(appCp, main, terminal, plus(shipped, "-XX:ArchiveClassesAtExit=" + appJsa)), log, "ready to scan");
        timeToMarker(java(helloCp, hello, helloArgs, plus(options, "-XX:ArchiveClassesAtExit=" + helloJsa)),
                helloMarker, "ready to scan");
        assertThat(appJsa).exists();
        assertThat(helloJsa).exists();

        long[] app = new long[RUNS];
        long[] helloFx = new long[RUNS];
        long[] appDefault = new long[RUNS];
        long[] helloDefault = new long[RUNS];
        long windowRss = 0;
        for (int i = 0; i < RUNS; i++) {
            Started s = timeToMarker(java(appCp, main, terminal, plus(shipped, "-XX:SharedArchiveFile=" + appJsa)), log,
                    "ready to scan");
            app[i] = s.nanos();
            windowRss = Math.max(windowRss, s.rssMb());
            helloFx[i] = timeToMarker(java(helloCp, hello, helloArgs, plus(options, "-XX:SharedArchiveFile=" + helloJsa)),
                    helloMarker, "ready to scan").nanos();
            appDefault[i] = timeToMarker(java(appCp, main, terminal, List.of()), log, "ready to scan").nanos();
            helloDefault[i] = timeToMarker(java(helloCp, hello, helloArgs, List.of()), helloMarker, "ready to scan").nanos();
        }
        Map<String, Object> startup = new LinkedHashMap<>();
        startup.put("members_in_store", BenchStore.MEMBERS);
        startup.put("runs", RUNS);
        startup.put("java_options", String.join(" ", options));
        startup.put("app_median_ms", median(app) / 1_000_000);
        startup.put("hello_fx_median_ms", median(helloFx) / 1_000_000);
        startup.put("ratio", ratio(app, helloFx));
        startup.put("app_default_flags_median_ms", median(appDefault) / 1_000_000);
        startup.put("hello_fx_default_flags_median_ms", median(helloDefault) / 1_000_000);
        startup.put("ratio_default_flags", ratio(appDefault, helloDefault));
        startup.put("ratio_shipped_vs_hello_default_flags", ratio(app, helloDefault));
        double shippedRatio = ratio(app, helloFx);
        BenchResults.record("startup", startup,
                BenchResults.Row.target("start-up to ready-to-scan, shipped options + CDS (median of " + RUNS + ")",
                        "%,d ms".formatted(median(app) / 1_000_000),
                        "bare JavaFX window started the same way %,d ms: %.2f×".formatted(median(helloFx) / 1_000_000, shippedRatio),
                        "≤ 2×", shippedRatio <= 2),
                BenchResults.Row.comparison("start-up, default JVM flags, no archive",
                        "%,d ms".formatted(median(appDefault) / 1_000_000),
                        "bare JavaFX window %,d ms: %.2f×".formatted(median(helloDefault) / 1_000_000,
                                ratio(appDefault, helloDefault))));

        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("members_in_store", BenchStore.MEMBERS);
        memory.put("scans", 1000);
        long rssDefault = rssAfterScans(store, work, List.of());
        long rssShipped = rssAfterScans(store, work, options);
        memory.put("rss_mb_default_flags", rssDefault);
        memory.put("rss_mb_terminal_flags", rssShipped);
        memory.put("rss_mb_window_ready", windowRss);
        memory.put("terminal_flags", String.join(" ", options));
        memory.put("target_mb", 300);
        BenchResults.record("memory", memory, BenchResults.Row.target(
                "RSS after 1,000 scans, " + BenchStore.MEMBERS + "-member store open, shipped options",
                rssShipped + " MB", "default JVM flags " + rssDefault + " MB; window at ready-to-scan " + windowRss + " MB",
                "≤ 300 MB", rssShipped <= 300));
    }

    private static long rssMb(Process p) throws IOException {
        long rssKb = Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                .findFirst().orElseThrow();
        return rssKb / 1024;
    }

    private static long rssAfterScans(Path store, Path work, List<String> flags) throws Exception {
        Path marker = work.resolve("scan.marker");
        Files.deleteIfExists(marker);
        Process p = new ProcessBuilder(java(System.getProperty("java.class.path"), ScanLoad.class.getName(),
                List.of(store.toString(), "1000", marker.toString()), flags))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long t0 = System.nanoTime();
            while (!Files.exists(marker)) {
                assertThat(p.isAlive()).isTrue();
                assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(300));
                Thread.sleep(20);
            }
            return rssMb(p);
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
