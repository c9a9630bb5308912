package dev.counterpoint.report;

import dev.counterpoint.shared.CsvCells;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jdbi.v3.core.Jdbi;

/**
 * The store's member list as CSV for a spreadsheet (UTF-8 with a BOM, so that Chinese names open as such): one row
 * per active member, erased members left out, with their marketing consent per channel. Phones only masked: the
 * numbers are not held in the clear. Every cell is neutralised against formulas ({@link CsvCells}).
 */
public final class MemberListExport {
    public static final List<String> COLUMNS = List.of("card_code", "name", "phone_masked", "birthday", "tier",
            "home_store", "enrolled_at", "marketing_sms", "marketing_wechat");

    /** Which members to list: all, or those who agreed to marketing on one channel. */
    public enum Filter {
        ALL(null), SMS("MARKETING_SMS"), WECHAT("MARKETING_WECHAT");

        private final String channel;

        Filter(String channel) {
            this.channel = channel;
        }
    }

    private final Jdbi jdbi;
    private final ZoneId zone;

    public MemberListExport(Jdbi jdbi, ZoneId zone) {
        this.jdbi = jdbi;
        this.zone = zone;
    }

    /** Writes the list to {@code file} (replacing it); returns the number of members written. */
    public long write(Path file, Filter filter) throws IOException {
        String onlyConsenting = filter.channel == null ? "" : """
                AND EXISTS (SELECT 1 FROM member_consent f WHERE f.member_id = m.id AND f.channel = '%s' AND f.granted)
                """.formatted(filter.channel);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180)) {
            w.write('\uFEFF');
            csv.printRecord(COLUMNS);
            long[] n = {0};
            jdbi.useHandle(h -> h.createQuery("""
                    SELECT c.code, m.display_name, m.phone_masked, m.birthday, m.tier, m.home_store, m.enrolled_at,
                           (SELECT granted FROM member_consent s WHERE s.member_id = m.id AND s.channel = 'MARKETING_SMS'),
                           (SELECT granted FROM member_consent s WHERE s.member_id = m.id AND s.channel = 'MARKETING_WECHAT')
                    FROM member m JOIN member_code c ON c.member_id = m.id AND c.kind = 'CARD'
                    WHERE m.status = 'ACTIVE'
                    """ + onlyConsenting + " ORDER BY c.code")
                    .map((rs, ctx) -> {
                        LocalDate birthday = rs.getObject(4, LocalDate.class);
                        OffsetDateTime enrolled = rs.getObject(7, OffsetDateTime.class);
                        return List.of(rs.getString(1), rs.getString(2), nullToEmpty(rs.getString(3)),
                                birthday == null ? "" : birthday.toString(), rs.getString(5), rs.getString(6),
                                enrolled.atZoneSameInstant(zone).toLocalDate().toString(), answer(rs.getObject(8)),
                                answer(rs.getObject(9)));
                    })
                    .forEach(row -> {
                        try {
                            csv.printRecord(row.stream().map(CsvCells::neutralise).toList());
                            n[0]++;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
            return n[0];
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String answer(Object granted) {
        return granted == null ? "" : Boolean.TRUE.equals(granted) ? "yes" : "no";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The filter a command-line word names: all, sms, wechat. */
    public static Filter filter(String word) {
        return Filter.valueOf(word.strip().toUpperCase(Locale.ROOT));
    }
}
