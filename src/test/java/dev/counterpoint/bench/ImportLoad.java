package dev.counterpoint.bench;

import dev.counterpoint.main.CounterpointCommand;
import dev.counterpoint.wiring.TerminalWiring;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link ImportBenchmark}'s child process, started with the till's JVM options: runs {@code import-members} through
 * the command line as a person would (its progress on this process's stderr), or, with {@code csvread}, H2's
 * {@code CREATE TABLE … AS SELECT * FROM CSVREAD(…)} of the same file in the same kind of store, or, with {@code office},
 * {@code office import-members} into a fresh head office that knows one store; then writes the time
 * taken, the exit code, the peak resident set (VmHWM) and the peak heap to the result file. With {@code rows}, every
 * row the import wrote is written again bare into a fresh store ({@link #copyRows}).
 * Args: {@code import|csvread|office} data dir, CSV file, result file, then any further arguments of the command;
 * {@code rows} fresh data dir, the imported store's data dir, result file.
 */
public final class ImportLoad {
    private ImportLoad() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dataDir = Path.of(args[1]);
        Path csv = Path.of(args[2]);
        Path result = Path.of(args[3]);
        long nanos;
        int exit;
        if (mode.equals("import")) {
            List<String> command = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--lang", "en",
                    "import-members"));
            command.addAll(List.of(args).subList(4, args.length));
            command.add(csv.toString());
            long t0 = System.nanoTime();
            exit = CounterpointCommand.commandLine().execute(command.toArray(String[]::new));
            nanos = System.nanoTime() - t0;
        } else if (mode.equals("office")) {
            // Head office's own import into a fresh office that knows one store.
            int added = CounterpointCommand.commandLine().execute("office", "add-terminal", "--data-dir", dataDir.toString(),
                    "--store", "S001", "--terminal", "T1");
            if (added != 0) {
                throw new IllegalStateException("office add-terminal exited " + added);
            }
            List<String> command = new ArrayList<>(List.of("--lang", "en", "office", "import-members", "--data-dir",
                    dataDir.toString(), "--store", "S001"));
            command.addAll(List.of(args).subList(4, args.length));
            command.add(csv.toString());
            long t0 = System.nanoTime();
            exit = CounterpointCommand.commandLine().execute(command.toArray(String[]::new));
            nanos = System.nanoTime() - t0;
        } else if (mode.equals("rows")) {
            // Here the second argument is the store the import filled, not a CSV file.
            nanos = copyRows(csv, dataDir);
            exit = 0;
        } else {
            try (TerminalWiring ctx = TerminalWiring.open(dataDir, Locale.ENGLISH, Clock.systemDefaultZone())) {
                long t0 = System.nanoTime();
                ctx.database().jdbi().useHandle(h -> h.execute(
                        "CREATE TABLE members_csv AS SELECT * FROM CSVREAD('" + csv + "', NULL, 'charset=UTF-8')"));
                nanos = System.nanoTime() - t0;
                exit = 0;
            }
        }
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        long hwmKb = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                .findFirst().orElse(0);
        Files.writeString(result, "nanos=" + nanos + "\nexit=" + exit + "\nvm_hwm_kb=" + hwmKb + "\nheap_peak_bytes="
                + heapPeak + "\n");
        System.exit(0);
    }

    /**
     * Every row the import wrote (the rows of each table the fresh store holds none of), read from {@code from} and
     * written into the fresh store {@code to} with plain JDBC batches, a commit every {@value #COMMIT_ROWS} rows, into the
     * same tables with the same indexes: H2's own cost of storing what the import stores, with nothing parsed, checked,
     * derived or encrypted by the application. Only the writing is timed (the batches and commits), not the reading;
     * the foreign keys are not checked, so this is a floor under any import that writes the same rows.
     */
    static long copyRows(Path from, Path to) throws Exception {
        long nanos = 0;
        try (TerminalWiring source = TerminalWiring.open(from, Locale.ENGLISH, Clock.systemDefaultZone());
             TerminalWiring target = TerminalWiring.open(to, Locale.ENGLISH, Clock.systemDefaultZone());
             var in = source.database().jdbi().open(); var out = target.database().jdbi().open()) {
            java.sql.Connection read = in.getConnection();
            java.sql.Connection write = out.getConnection();
            write.setAutoCommit(false);
            try (var s = write.createStatement()) {
                s.execute("SET REFERENTIAL_INTEGRITY FALSE");
            }
            List<String> tables = out.createQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'PUBLIC' AND table_type = 'BASE TABLE' ORDER BY table_name")
                    .mapTo(String.class).list();
            long rows = 0;
            for (String table : tables) {
                if (count(write, table) > 0 || count(read, table) == 0) {
                    continue;
                }
                long tableStart = nanos;
                try (var select = read.createStatement(); var rs = select.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    List<String> names = new ArrayList<>();
                    for (int c = 1; c <= columns; c++) {
                        names.add('"' + rs.getMetaData().getColumnName(c) + '"');
                    }
                    String insert = "INSERT INTO \"" + table + "\"(" + String.join(", ", names) + ") VALUES ("
                            + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")";
                    try (var ps = write.prepareStatement(insert)) {
                        Object[][] batch = new Object[BATCH][columns];
                        boolean more = true;
                        while (more) {
                            int n = 0;
                            while (n < BATCH && (more = rs.next())) {
                                for (int c = 0; c < columns; c++) {
                                    batch[n][c] = rs.getObject(c + 1);
                                }
                                n++;
                            }
                            if (n == 0) {
                                break;
                            }
                            long t0 = System.nanoTime();
                            for (int r = 0; r < n; r++) {
                                for (int c = 0; c < columns; c++) {
                                    ps.setObject(c + 1, batch[r][c]);
                                }
                                ps.addBatch();
                            }
                            ps.executeBatch();
                            long before = rows;
                            rows += n;
                            if (rows / COMMIT_ROWS != before / COMMIT_ROWS) {
                                write.commit();
                            }
                            nanos += System.nanoTime() - t0;
                        }
                    }
                }
                long t0 = System.nanoTime();
                write.commit();
                nanos += System.nanoTime() - t0;
                System.out.println("copied " + table + ": " + count(write, table) + " rows in "
                        + (nanos - tableStart) / 1_000_000 + " ms of writing");
            }
            try (var s = write.createStatement()) {
                s.execute("SET REFERENTIAL_INTEGRITY TRUE");
            }
            write.commit();
            write.setAutoCommit(true);
            System.out.println("copied " + rows + " rows in " + nanos / 1_000_000 + " ms of writing");
        }
        return nanos;
    }

    private static final int BATCH = 1_000;
    private static final int COMMIT_ROWS = 10_000;

    private static long count(java.sql.Connection c, String table) throws java.sql.SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
