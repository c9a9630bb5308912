package dev.counterpoint.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the summary table of {@code target/bench/results.json} when a run that recorded benchmark figures ends
 * (registered as a JUnit listener; a plain test run records nothing and prints nothing). Entries recorded by
 * earlier runs are included and dated, so one table shows the latest figure of every benchmark.
 */
public final class BenchTable implements TestExecutionListener {
    private static final List<String> HEADINGS = List.of("benchmark", "measured", "figure", "comparison (same run)",
            "target", "met", "recorded");

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (BenchResults.recordedHere) {
            print(BenchResults.FILE, System.out);
        }
    }

    static void print(Path file, PrintStream out) {
        List<List<String>> rows = new ArrayList<>();
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            for (var it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String recorded = entry.getValue().path("recorded_at").asText("").replace('T', ' ');
                recorded = recorded.length() >= 16 ? recorded.substring(0, 16) : recorded;
                for (JsonNode row : entry.getValue().path("summary")) {
                    JsonNode met = row.path("met");
                    rows.add(List.of(entry.getKey(), row.path("measured").asText(), row.path("figure").asText(),
                            row.path("comparison").asText(), row.path("target").asText(),
                            met.isBoolean() ? (met.asBoolean() ? "yes" : "NO") : "—", recorded));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        int[] widths = HEADINGS.stream().mapToInt(String::length).toArray();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println();
        out.println("Benchmarks (" + file + ")");
        line(out, HEADINGS, widths);
        line(out, HEADINGS.stream().map(h -> "").toList(), widths, '-');
        rows.forEach(r -> line(out, r, widths));
    }

    private static void line(PrintStream out, List<String> cells, int[] widths) {
        line(out, cells, widths, ' ');
    }

    private static void line(PrintStream out, List<String> cells, int[] widths, char pad) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            sb.append(pad).append(cells.get(i)).append(String.valueOf(pad).repeat(widths[i] - cells.get(i).length() + 1)).append('|');
        }
        out.println(sb);
    }

    /** Prints the table of the results file without running anything: {@code BenchTable [results.json]}. */
    public static void main(String[] args) {
        print(args.length > 0 ? Path.of(args[0]) : BenchResults.FILE, System.out);
    }
}
