package dev.counterpoint.importer;

import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Files, an in-memory terminal and the errors an import reported, as the user reads them in English. */
final class ImportTestSupport {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 2026-11-23 14:00 in Shanghai. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T06:00:00Z"), SHANGHAI);

    final List<String> errors = new ArrayList<>();

    private ImportTestSupport() {}

    static ImportTestSupport create() {
        return new ImportTestSupport();
    }

    static TerminalWiring context(Path dir) {
        return TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK);
    }

    void report(UserMessage m) {
        errors.add(m.format(Locale.ENGLISH));
    }

    static Path write(Path dir, String name, String text) {
        return writeBytes(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path writeBytes(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long count(TerminalWiring ctx, String sql) {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
