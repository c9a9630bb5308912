package dev.counterpoint.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Whether a store already has exactly the bundled migrations, so the terminal can skip Flyway at start: loading
 * and running {@code migrate()} costs seconds on a busy two-core till, and on every start but the first after an
 * update it finds nothing to do. The check is plain JDBC and errs towards Flyway: a missing history, a failed
 * row, a migration the store lacks or has extra (a newer build ran on it), or any changed description or checksum
 * answers "no", and Flyway then migrates or refuses as it always did.
 */
final class MigrationCheck {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9._]+)__(.+)\\.sql");

    private MigrationCheck() {}

    /** A migration as Flyway records it: version, description and checksum. */
    record Migration(String version, String description, int checksum) {}

    /** True when Flyway's history on {@code c} lists exactly {@code bundled}, all successful. */
    static boolean upToDate(Connection c, Map<String, Migration> bundled) {
        Map<String, Migration> applied = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT \"version\", \"description\", \"type\", \"checksum\", \"success\" FROM \"flyway_schema_history\""
                        + " WHERE \"version\" IS NOT NULL")) {
            while (rs.next()) {
                Integer checksum = rs.getObject(4, Integer.class);
                if (!rs.getBoolean(5) || !"SQL".equals(rs.getString(3)) || checksum == null) {
                    return false;
                }
                applied.put(rs.getString(1), new Migration(rs.getString(1), rs.getString(2), checksum));
            }
        } catch (SQLException noHistoryYet) {
            return false;
        }
        return applied.equals(bundled);
    }

    /**
     * The versioned SQL migrations under {@code location} in the jar or class folder this class came from, by
     * version. Found through the code source, not {@code getResource(folder)}: a jar need not list its folders.
     */
    static Map<String, Migration> bundled(String location) {
        Path source;
        try {
            source = Path.of(MigrationCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the migrations' jar has an unreadable location", e);
        }
        if (Files.isDirectory(source)) {
            return read(source.resolve(location));
        }
        try (FileSystem jar = FileSystems.newFileSystem(source)) {
            return read(jar.getPath(location));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bundled migrations in " + source, e);
        }
    }

    private static Map<String, Migration> read(Path folder) {
        Map<String, Migration> found = new HashMap<>();
        if (!Files.isDirectory(folder)) {
            return found;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = VERSIONED.matcher(file.getFileName().toString());
                if (m.matches()) {
                    String version = m.group(1).replace('_', '.');
                    found.put(version, new Migration(version, m.group(2).replace('_', ' '), checksum(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled migrations", e);
        }
        return found;
    }

    /** Flyway's checksum: CRC-32 over the file's lines as UTF-8, without line ends or a leading byte-order mark. */
    static int checksum(Path file) throws IOException {
        CRC32 crc = new CRC32();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            boolean first = true;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
    }
}
