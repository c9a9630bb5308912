package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.counterpoint.store.DataDir;
import dev.counterpoint.store.EncryptedH2;
import dev.counterpoint.testing.RawBytes;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfficeDatabaseTest {
    @TempDir
    Path dir;

    /**
     * H2 keeps office.lock.db while the database is open. The office used to close its file whenever the last
     * request's connection closed, and reopen it on the next request: 15% of the CPU samples in the close-of-day rush.
     */
    @Test
    void theH2FileStaysOpenBetweenRequestsAndIsClosedWithTheOffice() {
        OfficeDatabase db = OfficeDatabase.h2File(dir);
        long terminals = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM terminal").mapTo(Long.class).one());

        assertThat(terminals).isZero();
        assertThat(dir.resolve("office.lock.db")).exists();
        db.close();
        assertThat(dir.resolve("office.lock.db")).doesNotExist();
    }

    /**
     * An {@code office} subcommand opens the file the running office serves and closes it when done: its close leaves the
     * file open for the office (a SHUTDOWN would close it under the server), and the office's own close shuts it.
     */
    @Test
    void aSecondUserOfTheFileClosesWithoutShuttingItUnderTheFirst() {
        OfficeDatabase served = OfficeDatabase.h2File(dir);
        try (OfficeDatabase command = OfficeDatabase.h2File(dir)) {
            new Registrations(command, Clock.systemUTC()).addTerminal("S001", "T1");
        }

        long terminals = served.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM terminal").mapTo(Long.class).one());
        assertThat(terminals).as("the office still reads its file, the subcommand's terminal in it").isEqualTo(1);
        assertThat(dir.resolve("office.lock.db")).exists();
        served.close();
        assertThat(dir.resolve("office.lock.db")).as("closed by its last user").doesNotExist();
    }

    /**
     * Closing touches no connection of the closed database: H2 reports each such use ("Database is already closed") in
     * its trace file, which the office's own file keeps off, so this one is on.
     */
    @Test
    void closingUsesNoConnectionOfTheClosedDatabase() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("traced") + ";TRACE_LEVEL_FILE=1;DB_CLOSE_DELAY=-1";
        for (int run = 0; run < 2; run++) {
            try (OfficeDatabase db = OfficeDatabase.h2(url, "office", "", OfficeDatabase.dataKey(dir))) {
                new Registrations(db, Clock.systemUTC()).addTerminal("S001", "T" + run);
            }
        }

        Path trace = dir.resolve("traced.trace.db");
        assertThat(Files.exists(trace) ? Files.readString(trace) : "").doesNotContain("already closed");
        try (Connection c = DriverManager.getConnection(url + ";IFEXISTS=TRUE", "office", "");
             Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM terminal")) {
            rs.next();
            assertThat(rs.getLong(1)).as("both runs' terminals were written before the file closed").isEqualTo(2);
        }
    }

    @Test
    void theFileIsEncryptedAndTheChainPhoneKeyIsSealedUnderTheOfficeKeyOutsideItsDataDir() throws Exception {
        String phoneKey;
        try (OfficeDatabase db = OfficeDatabase.h2File(dir)) {
            phoneKey = new Registrations(db, Clock.systemUTC()).chainPhoneKey();
            String stored = storedPhoneKey(db);
            assertThat(stored).startsWith("sealed1:").doesNotContain(phoneKey);
            assertThat(new Registrations(db, Clock.systemUTC()).chainPhoneKey()).isEqualTo(phoneKey);
        }

        assertThat(EncryptedH2.isEncrypted(dir.resolve("office.mv.db"))).isTrue();
        Path keyFile = OfficeDatabase.dataKey(dir).file();
        assertThat(keyFile).exists();
        assertThat(keyFile.toAbsolutePath().startsWith(dir.toAbsolutePath())).isFalse();
        for (Path f : RawBytes.files(dir)) {
            assertThat(RawBytes.find(f, phoneKey, phoneKey.toUpperCase(Locale.ROOT))).as(f.toString()).isEmpty();
        }
    }

    @Test
    void aCopyOfTheDataDirUnderAnotherKeyFolderIsRefusedNamingTheKey() throws Exception {
        OfficeDatabase.h2File(dir).close();
        String before = System.getProperty(DataDir.KEY_DIR_PROPERTY);
        Path otherKeys = dir.resolveSibling(dir.getFileName() + "-other-keys");
        System.setProperty(DataDir.KEY_DIR_PROPERTY, otherKeys.toString());
        try {
            assertThatThrownBy(() -> OfficeDatabase.h2File(dir))
                    .isInstanceOf(EncryptedH2.KeyMissingException.class)
                    .hasMessageContaining("the database is encrypted and its key " + otherKeys.resolve("office-"))
                    .hasMessageContaining("Restore the key file from its backup into " + otherKeys);
        } finally {
            System.setProperty(DataDir.KEY_DIR_PROPERTY, before);
        }
    }

    /** An earlier version's office: a plain file, the user's password empty, the chain's phone key in the clear. */
    @Test
    void anEarlierPlainOfficeFileIsEncryptedAndItsPhoneKeySealedOnOpen() throws Exception {
        String plainKey = HexFormat.of().formatHex(new byte[32]).replace('0', 'c');
        try (OfficeDatabase earlier = OfficeDatabase.url("jdbc:h2:file:" + dir.resolve("office").toAbsolutePath(), "office", "",
                dir.resolveSibling(dir.getFileName() + "-earlier"))) {
            earlier.jdbi().useHandle(h -> {
                h.execute("DELETE FROM office_setting WHERE name = 'phone_key'");
                h.execute("INSERT INTO office_setting(name, setting_value) VALUES ('phone_key', ?)", plainKey);
            });
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("office").toAbsolutePath(), "office", "");
             Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        assertThat(RawBytes.find(dir.resolve("office.mv.db"), plainKey)).isNotEmpty();

        try (OfficeDatabase db = OfficeDatabase.h2File(dir)) {
            assertThat(storedPhoneKey(db)).startsWith("sealed1:");
            assertThat(new Registrations(db, Clock.systemUTC()).chainPhoneKey()).isEqualTo(plainKey);
        }
        assertThat(EncryptedH2.isEncrypted(dir.resolve("office.mv.db"))).isTrue();
        assertThat(RawBytes.find(dir.resolve("office.mv.db"), plainKey)).isEmpty();
    }

    /** AUTO_SERVER (office add-terminal while the office runs) listens on loopback only, as Main has H2 do. */
    @Test
    void theAutoServerListensOnLoopbackOnly() throws Exception {
        assumeThat(Path.of("/proc/net/tcp")).exists();
        try (OfficeDatabase db = OfficeDatabase.h2File(dir)) {
            db.jdbi().useHandle(h -> h.execute("SELECT 1"));
            Properties lock = new Properties();
            try (Reader r = Files.newBufferedReader(dir.resolve("office.lock.db"), StandardCharsets.ISO_8859_1)) {
                lock.load(r);
            }
            String server = lock.getProperty("server");
            assertThat(server).matches("(localhost|127\\.0\\.0\\.1):\\d+");
            String port = String.format("%04X", Integer.parseInt(server.substring(server.indexOf(':') + 1)));
            // Java's sockets are IPv6 ones: 127.0.0.1 shows in tcp6 as ::ffff:127.0.0.1, every address as ::
            List<String> listening = new ArrayList<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path p = Path.of(table);
                if (Files.exists(p)) {
                    Files.readAllLines(p).stream().map(String::strip).map(l -> l.split("\\s+"))
                            .filter(f -> f.length > 3 && f[1].endsWith(":" + port) && f[3].equals("0A"))
                            .forEach(f -> listening.add(f[1]));
                }
            }
            assertThat(listening).isNotEmpty().allMatch(a -> a.equals("0100007F:" + port)
                    || a.equals("0000000000000000FFFF00000100007F:" + port), "bound to 127.0.0.1");
        }
    }

    private static String storedPhoneKey(OfficeDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT setting_value FROM office_setting WHERE name = 'phone_key'")
                .mapTo(String.class).one());
    }
}
