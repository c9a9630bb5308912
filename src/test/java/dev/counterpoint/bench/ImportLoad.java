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
 * taken, the exit code, the peak resident set (VmHWM) and the peak heap to the result file.
 * Args: {@code import|csvread|office} data dir, CSV file, result file, then any further arguments of the command.
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
}
