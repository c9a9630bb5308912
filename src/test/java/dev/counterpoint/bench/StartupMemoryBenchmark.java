package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Child JVMs started the same way (this test's class path, headless Monocle, default heap):
 * <ul>
 *   <li>start-up: process start to the "ready to scan" line (counter window shown, bench store open), against a
 *       bare JavaFX window writing the same line; {@link #RUNS} of each, alternating, medians compared;</li>
 *   <li>memory: VmRSS of a process that opened the bench store and showed 1,000 random members' panels.</li>
 * </ul>
 */
class StartupMemoryBenchmark {
    static final int RUNS = Integer.getInteger("bench.startupRuns", 3);
    /** What a terminal launcher can pass: one GC thread's worth of collector and a bounded heap. */
    static final List<String> TERMINAL_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx256m");
    static final List<String> HEADLESS = List.of("-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
            "-Dprism.order=sw", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8");

    private static List<String> java(String mainClass, List<String> args, String... jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(HEADLESS);
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the command and waits for the marker line in {@code marker}; returns nanoseconds, kills the child. */
    private static long timeToMarker(List<String> cmd, Path marker, String line) throws IOException, InterruptedException {
        Files.deleteIfExists(marker);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            while (!(Files.exists(marker) && Files.readString(marker).contains(line))) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("child exited " + p.exitValue() + ": " + cmd.get(cmd.size() - 1));
                }
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                    throw new IllegalStateException("no marker after 120 s: " + String.join(" ", cmd.subList(cmd.indexOf("-cp") + 2, cmd.size())));
                }
                Thread.sleep(2);
            }
            return System.nanoTime() - t0;
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void startUpAndMemory() throws Exception {
        Path store = BenchStore.dataDir();
        Path tmp = Files.createTempDirectory("bench-startup");
        long[] app = new long[RUNS];
        long[] cds = new long[RUNS];
        long[] hello = new long[RUNS];
        Path log = store.resolve("logs").resolve("counterpoint.log");
        // The test class path carries logback-test.xml (WARN, stderr): the child logs as the installed app does.
        String logback = "-Dlogback.configurationFile=" + Path.of("target", "classes", "logback.xml").toAbsolutePath();
        String logDir = "-Dcounterpoint.logDir=" + log.getParent();
        List<String> terminal = List.of("--data-dir", store.toString(), "terminal");
        // Application class-data sharing: one training start dumps the loaded classes, later starts map them.
        Path jsa = Path.of("target", "bench", "counterpoint-cds.jsa").toAbsolutePath();
        if (!Files.exists(jsa)) {
            Files.deleteIfExists(log);
            timeToMarker(java("dev.counterpoint.app.Main", terminal, logback, logDir, "-XX:ArchiveClassesAtExit=" + jsa),
                    log, "ready to scan");
        }
        for (int i = 0; i < RUNS; i++) {
            Files.deleteIfExists(log);
            app[i] = timeToMarker(java("dev.counterpoint.app.Main", terminal, logback, logDir), log, "ready to scan");
            Files.deleteIfExists(log);
            cds[i] = timeToMarker(java("dev.counterpoint.app.Main", terminal, logback, logDir, "-XX:SharedArchiveFile=" + jsa),
                    log, "ready to scan");
            hello[i] = timeToMarker(java(HelloFxApp.class.getName(), List.of(tmp.resolve("hello.marker").toString())),
                    tmp.resolve("hello.marker"), "ready to scan");
        }
        Map<String, Object> startup = new LinkedHashMap<>();
        startup.put("members_in_store", BenchStore.MEMBERS);
        startup.put("runs", RUNS);
        startup.put("app_median_ms", median(app) / 1_000_000);
        startup.put("app_cds_median_ms", median(cds) / 1_000_000);
        startup.put("hello_fx_median_ms", median(hello) / 1_000_000);
        startup.put("ratio", Math.round(median(app) * 100.0 / median(hello)) / 100.0);
        startup.put("ratio_cds", Math.round(median(cds) * 100.0 / median(hello)) / 100.0);
        BenchResults.record("startup", startup);

        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("members_in_store", BenchStore.MEMBERS);
        memory.put("scans", 1000);
        memory.put("rss_mb_default_flags", rssAfterScans(store, tmp, new String[0]));
        memory.put("rss_mb_terminal_flags", rssAfterScans(store, tmp, TERMINAL_FLAGS.toArray(String[]::new)));
        memory.put("terminal_flags", String.join(" ", TERMINAL_FLAGS));
        memory.put("target_mb", 300);
        BenchResults.record("memory", memory);
    }

    private static long rssAfterScans(Path store, Path tmp, String[] flags) throws Exception {
        Path marker = tmp.resolve("scan.marker");
        Files.deleteIfExists(marker);
        Process p = new ProcessBuilder(java(ScanLoad.class.getName(), List.of(store.toString(), "1000", marker.toString()), flags))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long t0 = System.nanoTime();
            while (!Files.exists(marker)) {
                assertThat(p.isAlive()).isTrue();
                assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(300));
                Thread.sleep(20);
            }
            long rssKb = Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                    .findFirst().orElseThrow();
            return rssKb / 1024;
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
