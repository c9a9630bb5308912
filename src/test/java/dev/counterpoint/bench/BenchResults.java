package dev.counterpoint.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared results writer of the benchmark harness: each benchmark class (one per benchmark, named
 * {@code *Benchmark}, run only by {@code mvn -Pbench test}) records its figures under its own name in
 * {@code target/bench/results.json} and prints them. Latencies are kept in nanoseconds and reported in
 * microseconds.
 */
public final class BenchResults {
    static final Path FILE = Path.of("target", "bench", "results.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchResults() {}

    /** Percentiles of a set of latency samples in nanoseconds. */
    public record Latency(long samples, double p50Micros, double p95Micros, double p99Micros, double maxMicros) {
        public static Latency of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(sorted.length, micros(pick(sorted, 50)), micros(pick(sorted, 95)), micros(pick(sorted, 99)),
                    micros(sorted[sorted.length - 1]));
        }

        private static long pick(long[] sorted, int percentile) {
            int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, index)];
        }

        private static double micros(long nanos) {
            return Math.round(nanos / 10.0) / 100.0;
        }
    }

    /**
     * One line of the summary table: what was measured, its figure, the comparison measured in the same run, the
     * target, and whether it was met ({@code null} where the issue sets no target, only a comparison).
     */
    public record Row(String measured, String figure, String comparison, String target, Boolean met) {
        public static Row target(String measured, String figure, String comparison, String target, boolean met) {
            return new Row(measured, figure, comparison, target, met);
        }

        public static Row comparison(String measured, String figure, String comparison) {
            return new Row(measured, figure, comparison, "", null);
        }
    }

    /** A latency in microseconds as the table shows it, in milliseconds. */
    public static String ms(double micros) {
        return String.format(java.util.Locale.ROOT, "%.2f ms", micros / 1000);
    }

    /** Whether this JVM recorded anything: the table is printed only after a benchmark run. */
    static volatile boolean recordedHere;

    /** Records one benchmark's figures (replacing its previous entry) and its lines of the summary table, and prints them. */
    public static synchronized void record(String name, Map<String, ?> figures, Row... summary) {
        try {
            Files.createDirectories(FILE.getParent());
            ObjectNode root = Files.exists(FILE) ? (ObjectNode) JSON.readTree(FILE.toFile()) : JSON.createObjectNode();
            Map<String, Object> entry = new LinkedHashMap<>(figures);
            entry.put("summary", List.of(summary));
            entry.put("recorded_at", Instant.now().toString());
            entry.put("java", System.getProperty("java.version"));
            entry.put("cpus", Runtime.getRuntime().availableProcessors());
            root.set(name, JSON.valueToTree(entry));
            JSON.writeValue(FILE.toFile(), root);
            System.out.println("[bench] " + name + " " + new ObjectMapper().writeValueAsString(entry));
            recordedHere = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }
}
