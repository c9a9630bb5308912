package dev.counterpoint.importer;

import dev.counterpoint.shared.UserMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An import file: RFC 4180 CSV in UTF-8 (BOM optional) with a header row. {@link #open} reads the
 * whole file once to check it can be read to the end (encoding, quoting, header) so that a broken
 * file is refused before anything is written; then rows are read one at a time, never all at once.
 * Blank lines are skipped; line numbers are physical lines, also with multi-line quoted fields.
 */
final class CsvFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CsvFile.class);
    // Empty lines come through as records so the parser's line count stays right; they are skipped here.
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();
    private static final char BOM = '\uFEFF';
    private static final int SHOWN_HEADER_LENGTH = 200;

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final Map<String, Integer> columns;
    private final Counted counted;
    private final long size;
    private CsvRow next;

    private CsvFile(CSVParser parser, Iterator<CSVRecord> records, Map<String, Integer> columns, Counted counted,
                    long size) {
        this.parser = parser;
        this.records = records;
        this.columns = columns;
        this.counted = counted;
        this.size = size;
    }

    /** Bytes of the file read so far (the reader reads ahead a few kilobytes of the rows handed out). */
    long bytesRead() {
        return counted.count;
    }

    /** Whether the header has this column. */
    boolean has(String column) {
        return columns.containsKey(column);
    }

    /** The file's size in bytes when it was opened. */
    long size() {
        return size;
    }

    /** Counts the bytes read through it, for the progress shown while a large file is imported. */
    private static final class Counted extends java.io.FilterInputStream {
        volatile long count;

        Counted(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Checks the whole file, then opens it positioned at the first data row. */
    static CsvFile open(Path file, List<String> expectedColumns) throws ImportFileException {
        return open(file, expectedColumns, List.of());
    }

    /** As {@link #open(Path, List)}; the header may also hold any of {@code optionalColumns}, and nothing else. */
    static CsvFile open(Path file, List<String> expectedColumns, List<String> optionalColumns) throws ImportFileException {
        Columns columns = new Columns(expectedColumns, optionalColumns);
        check(file, columns);
        CSVParser parser;
        Counted counted;
        long size;
        try {
            size = Files.size(file);
            counted = new Counted(Files.newInputStream(file));
            parser = parser(counted);
        } catch (IOException e) {
            throw fileError(file, e, 1);
        }
        try {
            Iterator<CSVRecord> it = parser.iterator();
            return new CsvFile(parser, it, readHeader(file, it, columns), counted, size);
        } catch (ImportFileException | RuntimeException e) {
            closeQuietly(parser);
            throw e;
        }
    }

    /** Reads the file to its end without keeping anything, so a broken file is refused before a row is written. */
    private static void check(Path file, Columns expectedColumns) throws ImportFileException {
        if (!Files.exists(file)) {
            throw new ImportFileException(new UserMessage("import.file.notFound", file.toString()), null);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ImportFileException(new UserMessage("import.file.unreadable", file.toString()), null);
        }
        long recordStart = 1;
        try (CSVParser scan = parser(Files.newInputStream(file))) {
            Iterator<CSVRecord> it = scan.iterator();
            readHeader(file, it, expectedColumns);
            recordStart = scan.getCurrentLineNumber() + 1;
            while (it.hasNext()) {
                it.next();
                recordStart = scan.getCurrentLineNumber() + 1;
            }
        } catch (UncheckedIOException e) {
            throw fileError(file, e.getCause(), recordStart);
        } catch (IOException e) {
            throw fileError(file, e, recordStart);
        }
    }

    boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    CsvRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CsvRow row = next;
        next = null;
        return row;
    }

    private CsvRow advance() {
        while (true) {
            // The parser has consumed whole lines so far, so the next record starts on the following line.
            long line = parser.getCurrentLineNumber() + 1;
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            if (!isBlank(record)) {
                return new CsvRow(line, record, columns);
            }
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CSVParser parser(java.io.InputStream in) throws IOException {
        // newDecoder() reports malformed input instead of replacing it, so non-UTF-8 bytes are an error.
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()),
                64 * 1024);
        try {
            reader.mark(1);
            if (reader.read() != BOM) {
                reader.reset();
            }
            return CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The columns a file must have, and those it may have besides. */
    private record Columns(List<String> required, List<String> optional) {
        String wanted() {
            return String.join(",", required) + optional.stream().map(c -> "[," + c + "]").collect(Collectors.joining());
        }

        boolean accepts(CSVRecord header, Map<String, Integer> index) {
            return index.size() == header.size() && index.keySet().containsAll(required)
                    && required.size() + optional.stream().filter(index::containsKey).count() == index.size();
        }
    }

    private static Map<String, Integer> readHeader(Path file, Iterator<CSVRecord> records, Columns expected)
            throws ImportFileException {
        CSVRecord header = null;
        while (header == null && records.hasNext()) {
            CSVRecord r = records.next();
            header = isBlank(r) ? null : r;
        }
        String wanted = expected.wanted();
        if (header == null) {
            throw new ImportFileException(new UserMessage("import.file.noHeader", file.toString(), wanted), null);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        if (!expected.accepts(header, index)) {
            String found = header.toList().stream().map(String::strip).collect(Collectors.joining(","));
            throw new ImportFileException(new UserMessage("import.file.badHeader", file.toString(), wanted,
                    RowCheck.shown(found, SHOWN_HEADER_LENGTH)), null);
        }
        return Map.copyOf(index);
    }

    private static boolean isBlank(CSVRecord r) {
        return r.size() == 1 && r.get(0).isBlank();
    }

    private static ImportFileException fileError(Path file, IOException cause, long recordStart) {
        LOG.warn("cannot import {}", file, cause);
        String name = file.toString();
        UserMessage message;
        if (cause instanceof CharacterCodingException) {
            message = new UserMessage("import.file.notUtf8", name);
        } else if (cause instanceof CSVException) {
            message = new UserMessage("import.file.malformed", name, String.valueOf(recordStart));
        } else if (cause instanceof NoSuchFileException) {
            message = new UserMessage("import.file.notFound", name);
        } else {
            message = new UserMessage("import.file.unreadable", name);
        }
        return new ImportFileException(message, cause);
    }

    private static void closeQuietly(CSVParser parser) {
        try {
            parser.close();
        } catch (IOException e) {
            LOG.debug("closing an import file that failed to open", e);
        }
    }
}
