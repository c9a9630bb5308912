package dev.counterpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.CardCodes;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code import-members} of {@value #DEFAULT_ROWS} generated rows by default ({@code -Dbench.importRows=50000} for a
 * quick run): the command as a person runs it, in a child JVM started with the till's options
 * ({@code installer/java-options}; {@code -Dbench.importJvm=default} for the JVM's defaults) on a fresh store —
 * validation, duplicate checks, keyed phone hash, card code, name pieces and ledger rows, one outbox event per member —
 * against H2's own bulk path for the same file, {@code CREATE TABLE … AS SELECT * FROM CSVREAD(…)}, in a second fresh
 * store and a second child with the same options: the cost of reading the file and writing its rows with nothing
 * checked or derived. Also the child's peak resident set (VmHWM) and heap, and the database file's size per member.
 * Then head office's own {@code office import-members} of the same file into a fresh office, beside them
 * ({@code -Dbench.importOffice=false} leaves it out). The floor under any import of the file: every row the till's
 * import wrote, written again with plain JDBC batches into a third fresh store, in a child with the same options
 * ({@link ImportLoad#copyRows}; {@code -Dbench.importRowsFloor=false} leaves it out). {@code -Dbench.importJfr=FILE}
 * records the import with the flight recorder.
 */
class ImportBenchmark {
    static final int DEFAULT_ROWS = 1_000_000;
    static final int ROWS = Integer.getInteger("bench.importRows", DEFAULT_ROWS);
    private static final String[] TIERS = {"NORMAL", "NORMAL", "NORMAL", "SILVER", "GOLD", "DIAMOND"};

    @Test
    void importMembersAgainstCsvread() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "bench", "import").toAbsolutePath());
        Path csv = dir.resolve("members-" + ROWS + ".csv");
        if (!Files.exists(csv)) {
            write(csv);
        }
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        Path app = freshStore(dir.resolve("app-store"));
        Path bare = freshStore(dir.resolve("csvread-store"));
        // The command's own options (-Dbench.importArgs, words apart; empty for none): by default it shows its progress.
        List<String> extra = List.of(System.getProperty("bench.importArgs", "--progress").split("\\s+")).stream()
                .filter(a -> !a.isEmpty()).toList();
        Properties imported = child("import", app, csv, dir, extra, System.getProperty("bench.importJfr"));
        Properties csvread = child("csvread", bare, csv, dir, List.of(), null);
        // Every row the import wrote, written again bare into a third fresh store: H2's floor for those rows.
        Properties rowsFloor = Boolean.parseBoolean(System.getProperty("bench.importRowsFloor", "true"))
                ? child("rows", freshStore(dir.resolve("rows-store")), app, dir, List.of(), null) : null;
        Path officeDir = dir.resolve("office");
        deleteTree(officeDir);
        // Head office's own import of the same file (its JVM's defaults: head office does not run with the till's).
        Properties office = Boolean.parseBoolean(System.getProperty("bench.importOffice", "true"))
                ? child("office", officeDir, csv, dir, extra, null) : null;
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();

        assertThat(imported.getProperty("exit")).isEqualTo("0");
        long members;
        long events;
        try (TerminalWiring ctx = TerminalWiring.open(app, Locale.ENGLISH, Clock.systemDefaultZone())) {
            members = ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM member").mapTo(Long.class).one());
            events = ctx.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM outbox_event WHERE type = 'member.imported'").mapTo(Long.class).one());
        }
        long copied;
        try (TerminalWiring ctx = TerminalWiring.open(bare, Locale.ENGLISH, Clock.systemDefaultZone())) {
            copied = ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM members_csv").mapTo(Long.class).one());
        }
        assertThat(members).isEqualTo(ROWS);
        assertThat(events).isEqualTo(ROWS);
        assertThat(copied).isEqualTo(ROWS);

        long importNanos = Long.parseLong(imported.getProperty("nanos"));
        long csvreadNanos = Long.parseLong(csvread.getProperty("nanos"));
        long importRate = ROWS * 1_000_000_000L / importNanos;
        long csvreadRate = ROWS * 1_000_000_000L / csvreadNanos;
        long appBytes = Files.size(app.resolve("db").resolve("counterpoint.mv.db"));
        long bareBytes = Files.size(bare.resolve("db").resolve("counterpoint.mv.db"));
        long hwmMb = Long.parseLong(imported.getProperty("vm_hwm_kb")) / 1024;
        long heapMb = Long.parseLong(imported.getProperty("heap_peak_bytes")) >> 20;
        long csvreadHwmMb = Long.parseLong(csvread.getProperty("vm_hwm_kb")) / 1024;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", ROWS);
        figures.put("jvm", jvm());
        figures.put("loadavg_before", loadBefore);
        figures.put("loadavg_after", loadAfter);
        figures.put("csv_bytes", Files.size(csv));
        figures.put("import_seconds", importNanos / 1e9);
        figures.put("import_rows_per_s", importRate);
        figures.put("csvread_rows_per_s", csvreadRate);
        figures.put("csvread_over_import", Math.round(csvreadRate * 100.0 / importRate) / 100.0);
        figures.put("import_vm_hwm_mb", hwmMb);
        figures.put("import_heap_pools_peak_mb", heapMb);
        figures.put("csvread_vm_hwm_mb", csvreadHwmMb);
        figures.put("db_bytes", appBytes);
        figures.put("db_bytes_per_member", appBytes / ROWS);
        figures.put("csvread_db_bytes", bareBytes);
        List<BenchResults.Row> rows = new ArrayList<>();
        if (rowsFloor != null) {
            assertThat(rowsFloor.getProperty("exit")).isEqualTo("0");
            long floorRate = ROWS * 1_000_000_000L / Long.parseLong(rowsFloor.getProperty("nanos"));
            figures.put("bare_rows_members_per_s", floorRate);
            rows.add(BenchResults.Row.comparison(
                    "every row import-members wrote, written again bare (JDBC batches, same tables and indexes), members/s",
                    String.format(Locale.ROOT, "%,d", floorRate),
                    String.format(Locale.ROOT, "import-members %,d rows/s (%.1f× the floor's time)", importRate,
                            floorRate / (double) importRate)));
        }
        if (office != null) {
            assertThat(office.getProperty("exit")).isEqualTo("0");
            long officeRate = ROWS * 1_000_000_000L / Long.parseLong(office.getProperty("nanos"));
            long officeBytes = Files.size(officeDir.resolve("office.mv.db"));
            figures.put("office_import_rows_per_s", officeRate);
            figures.put("office_import_vm_hwm_mb", Long.parseLong(office.getProperty("vm_hwm_kb")) / 1024);
            figures.put("office_db_bytes_per_member", officeBytes / ROWS);
            rows.add(BenchResults.Row.comparison(String.format(Locale.ROOT, "office import-members, %,d rows, rows/s", ROWS),
                    String.format(Locale.ROOT, "%,d (peak RSS %,d MB, %,d bytes a member)", officeRate,
                            Long.parseLong(office.getProperty("vm_hwm_kb")) / 1024, officeBytes / ROWS),
                    String.format(Locale.ROOT, "the till's import-members %,d rows/s; CSVREAD %,d rows/s", importRate,
                            csvreadRate)));
        }
        System.out.println("[bench] import-members " + figures);
        BenchResults.record("import-members", figures, Stream.concat(Stream.of(
                BenchResults.Row.target(String.format(Locale.ROOT, "import-members, %,d rows, rows/s", ROWS),
                        String.format(Locale.ROOT, "%,d", importRate),
                        String.format(Locale.ROOT, "H2 CSVREAD %,d rows/s (%.1f×)", csvreadRate,
                                csvreadRate / (double) importRate), "≥ 50,000", importRate >= 50_000),
                BenchResults.Row.comparison("import-members, peak RSS (VmHWM) / heap",
                        hwmMb + " MB / " + heapMb + " MB", "CSVREAD child " + csvreadHwmMb + " MB"),
                BenchResults.Row.comparison("import-members, database file per member",
                        String.format(Locale.ROOT, "%,d bytes (%,d MB)", appBytes / ROWS, appBytes >> 20),
                        String.format(Locale.ROOT, "CSVREAD store %,d bytes a row (%,d MB); the CSV %,d bytes a row",
                                bareBytes / ROWS, bareBytes >> 20, Files.size(csv) / ROWS))), rows.stream())
                .toArray(BenchResults.Row[]::new));
    }

    private static void write(Path csv) throws IOException {
        Path part = csv.resolveSibling(csv.getFileName() + ".part");
        SplittableRandom r = new SplittableRandom(11);
        try (BufferedWriter w = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            w.write("card_code,phone,name,birthday,tier,points,stored_value_fen\n");
            for (int i = 0; i < ROWS; i++) {
                w.write(CardCodes.withCheckDigit("29" + String.format("%010d", 5_000_000_000L + i)) + ",139"
                        + String.format("%08d", i) + ",会员" + i + "," + (1960 + r.nextInt(45)) + "-0" + (1 + r.nextInt(9))
                        + "-1" + r.nextInt(10) + "," + TIERS[r.nextInt(TIERS.length)] + "," + r.nextInt(5000) + ","
                        + (r.nextInt(4) == 0 ? r.nextInt(100_000) : 0) + "\n");
            }
        }
        Files.move(part, csv);
    }

    /** A new, migrated store, closed again: the command opens it as it would open a till's. */
    private static Path freshStore(Path store) throws IOException {
        deleteTree(store);
        TerminalWiring.open(store, Locale.ENGLISH, Clock.systemDefaultZone()).close();
        return store;
    }

    private static String jvm() {
        return System.getProperty("bench.importJvm", "shipped");
    }

    private static Properties child(String mode, Path store, Path csv, Path dir, List<String> extra, String jfr)
            throws Exception {
        Path result = dir.resolve(mode + ".result");
        Path log = dir.resolve(mode + ".log");
        Files.deleteIfExists(result);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvm().equals("shipped") && !mode.equals("office")) {
            cmd.addAll(StartupMemoryBenchmark.terminalOptions());
        }
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("counterpoint."))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-Dfile.encoding=UTF-8");
        if (jfr != null) {
            cmd.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath() + ",settings=profile");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ImportLoad.class.getName(), mode,
                store.toString(), csv.toString(), result.toString()));
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.HOURS)) {
            p.destroy();
            throw new IllegalStateException("the " + mode + " child did not finish; its output: " + log);
        }
        assertThat(p.exitValue()).as("the %s child's exit; its output: %s", mode, log).isZero();
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(result)) {
            props.load(in);
        }
        return props;
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (var walk = Files.walk(p)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
