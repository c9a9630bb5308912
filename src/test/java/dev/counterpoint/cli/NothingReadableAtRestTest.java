package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.store.DataDir;
import dev.counterpoint.testing.RawBytes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product as shipped, each command in a JVM of its own with its own logging (the tests' logback configuration
 * left off the class path): head office, {@code office add-terminal} through its AUTO_SERVER, {@code import-members},
 * {@code register}, {@code sync} and {@code lookup}. Afterwards no file under the terminal's or head office's data dir,
 * logs included, holds an imported name, phone number or birthday, in UTF-8 or UTF-16.
 */
class NothingReadableAtRestTest {
    private static final String MARKER = "ZQXJMARKER";
    private static final List<String> NAMES = List.of("司马昭阳", "欧阳明珠", "Tobias Quenton" + MARKER);
    private static final List<String> PHONES = List.of("13698765431", "15823456712", "18645678923");
    private static final List<String> BIRTHDAYS = List.of("1979-04-23", "1991-12-08", "2001-07-30");

    @TempDir
    Path tmp;

    @Test
    void afterAnImportAndASyncNoFileHoldsAnImportedNamePhoneOrBirthday() throws Exception {
        Path officeDir = tmp.resolve("office");
        Path terminalDir = tmp.resolve("terminal");
        StringBuilder csv = new StringBuilder("card_code,phone,name,birthday,tier,points,stored_value_fen\n");
        List<String> cards = List.of("2900000000017", "2900000000024", "2900000000031");
        for (int i = 0; i < 3; i++) {
            csv.append(cards.get(i)).append(',').append(PHONES.get(i)).append(',').append(NAMES.get(i)).append(',')
                    .append(BIRTHDAYS.get(i)).append(",GOLD,1200,5000\n");
        }
        Path file = Files.writeString(tmp.resolve("members.csv"), csv, StandardCharsets.UTF_8);

        Process office = start("--data-dir", officeDir.toString(), "office", "--host", "127.0.0.1", "--port", "0");
        try {
            String url = listeningUrl(office);
            Child added = run("--data-dir", officeDir.toString(), "office", "add-terminal", "--store", "S009", "--terminal", "T1");
            assertThat(added.exit()).as(added.output()).isZero();
            String code = added.output().strip().lines().reduce((a, b) -> b).orElseThrow();

            Child imported = run("--data-dir", terminalDir.toString(), "--lang", "en", "import-members", file.toString());
            assertThat(imported.exit()).as(imported.output()).isZero();
            Child registered = run("--data-dir", terminalDir.toString(), "--lang", "en", "register", "--office", url, code);
            assertThat(registered.exit()).as(registered.output()).isZero();
            Child synced = run("--data-dir", terminalDir.toString(), "--lang", "en", "sync");
            assertThat(synced.exit()).as(synced.output()).isZero();
            assertThat(synced.output()).contains("Pushed ").doesNotContain("Pushed 0 events");
            Child shown = run("--data-dir", terminalDir.toString(), "--lang", "en", "lookup", cards.get(2));
            assertThat(shown.exit()).as(shown.output()).isZero();
            assertThat(shown.output()).contains(NAMES.get(2)); // the data is there, for whoever holds the key
        } finally {
            office.destroy(); // the shutdown hook closes the database
            assertThat(office.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        List<Path> files = new ArrayList<>(RawBytes.files(terminalDir));
        files.addAll(RawBytes.files(officeDir));
        assertThat(files).contains(terminalDir.resolve("db/counterpoint.mv.db"), officeDir.resolve("office.mv.db"),
                terminalDir.resolve("logs/counterpoint.log"), officeDir.resolve("logs/counterpoint.log"));
        List<String> secrets = new ArrayList<>(NAMES);
        secrets.add(MARKER);
        secrets.addAll(PHONES);
        secrets.addAll(BIRTHDAYS);
        for (Path f : files) {
            assertThat(RawBytes.find(f, secrets.toArray(String[]::new))).as(f.toString()).isEmpty();
        }
        for (Path logs : List.of(terminalDir.resolve("logs"), officeDir.resolve("logs"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs))).isEqualTo("rwx------");
            for (Path log : RawBytes.files(logs)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).as(log.toString()).isEqualTo("rw-------");
            }
        }
    }

    private record Child(int exit, String output) {
    }

    private Child run(String... args) throws Exception {
        Process p = start(args);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Child(p.exitValue(), output);
    }

    /** The shipped classes and libraries without the test classes, so the product's own logging is set up. */
    private Process start(String... args) throws Exception {
        String testClasses = Path.of("target", "test-classes").toAbsolutePath().toString();
        String classPath = String.join(java.io.File.pathSeparator, List.of(System.getProperty("java.class.path")
                .split(java.io.File.pathSeparator)).stream().filter(e -> !Path.of(e).toAbsolutePath().toString().equals(testClasses))
                .toList());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + DataDir.KEY_DIR_PROPERTY + "=" + tmp.resolve("keys"), "-cp", classPath, "dev.counterpoint.main.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String listeningUrl(Process office) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(office.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("head office listening on (http://127\\.0\\.0\\.1:\\d+)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "office-output");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new AssertionError("head office did not start");
    }
}
