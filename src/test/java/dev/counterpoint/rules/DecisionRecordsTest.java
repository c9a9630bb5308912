package dev.counterpoint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every decision record in one format: its number in its name and title, once, with its status and date. */
class DecisionRecordsTest {
    private static final Pattern NAME = Pattern.compile("(\\d{4})-[a-z0-9-]+\\.md");
    /** The status paragraph, which may run over several lines, gives the date. */
    private static final Pattern STATUS =
            Pattern.compile("(?m)^\\*\\*Status\\.\\*\\* (?:(?!\\n\\n)[\\s\\S])*?\\*\\*Date\\.\\*\\* \\d{4}-\\d{2}-\\d{2}\\.");

    @Test
    void eachRecordHasItsNumberOnceAStatusAndADate() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> numbers = new HashSet<>();
        List<Path> records;
        try (Stream<Path> files = Files.list(Path.of("docs", "decisions"))) {
            records = files.sorted().toList();
        }
        assertThat(records).hasSizeGreaterThan(80);
        for (Path file : records) {
            String name = file.getFileName().toString();
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                problems.add(name + ": not NNNN-words.md");
                continue;
            }
            if (!numbers.add(m.group(1))) {
                problems.add(name + ": number " + m.group(1) + " used twice");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            if (lines.isEmpty() || !lines.get(0).startsWith("# " + m.group(1) + " — ")) {
                problems.add(name + ": the first line is not \"# " + m.group(1) + " — title\"");
            }
            if (!STATUS.matcher(text).find()) {
                problems.add(name + ": no paragraph \"**Status.** … **Date.** YYYY-MM-DD.\"");
            }
        }
        assertThat(problems).isEmpty();
    }
}
