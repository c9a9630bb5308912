package dev.counterpoint.importer;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A member list exported by another system, read a row at a time: {@code card_code,phone,name,birthday,tier,points,
 * stored_value_fen}, optionally {@code marketing_consent}, and whatever further optional columns the reader names.
 * The whole file is read once when opened, so a file that cannot be read is refused before any row is used. Memory
 * does not grow with the file but for the first line of each card code ({@link FirstLines}, 20 bytes a code).
 */
public final class MemberList implements AutoCloseable {
    public static final List<String> COLUMNS =
            List.of("card_code", "phone", "name", "birthday", "tier", "points", "stored_value_fen");
    /** Optional: whether the member agreed to marketing (yes/no, 1/0, 是/否), recorded for SMS and WeChat alike. */
    public static final String MARKETING_CONSENT = "marketing_consent";

    private final CsvFile csv;
    private final LocalDate today;
    private final FirstLines firstLines = new FirstLines();

    private MemberList(CsvFile csv, LocalDate today) {
        this.csv = csv;
        this.today = today;
    }

    /**
     * Opens the file; {@code moreOptionalColumns} are columns this reader understands besides the list's own.
     *
     * @param today the day a birthday may not be after
     * @throws ImportFileException when the file cannot be read, or its header is not a member list's
     */
    public static MemberList open(Path file, List<String> moreOptionalColumns, LocalDate today) throws ImportFileException {
        List<String> optional = new ArrayList<>(moreOptionalColumns);
        optional.add(0, MARKETING_CONSENT);
        return new MemberList(CsvFile.open(file, COLUMNS, optional), today);
    }

    /** Whether the header has this column (an optional one may be left out). */
    public boolean has(String column) {
        return csv.has(column);
    }

    public boolean hasNext() {
        return csv.hasNext();
    }

    /** The next row, read and checked; a card code met earlier in the file is this row's problem. */
    public MemberRow next() {
        return MemberRow.read(csv.next(), firstLines, today);
    }

    /** How far into the file the rows read so far reach, in bytes. */
    public long bytesRead() {
        return csv.bytesRead();
    }

    /** The file's size in bytes. */
    public long size() {
        return csv.size();
    }

    @Override
    public void close() {
        csv.close();
    }
}
