package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExitCodesTest {
    @Test
    void eachCodeHasANumberOfItsOwn() throws Exception {
        Map<String, Integer> codes = codes();

        assertThat(codes).hasSizeGreaterThanOrEqualTo(9);
        assertThat(codes.values()).doesNotHaveDuplicates();
        assertThat(codes.values()).allSatisfy(c -> assertThat(c).isBetween(0, 125)); // 126 and up are the shell's
    }

    @Test
    void successAndUsageAreWhatPicocliReturnsForThem() {
        assertThat(ExitCodes.OK).isEqualTo(CommandLine.ExitCode.OK);
        assertThat(ExitCodes.USAGE).isEqualTo(CommandLine.ExitCode.USAGE);
        LookupCommandTest.Run unknownOption = LookupCommandTest.run("lookup", "--no-such-option", "2900000000018");
        assertThat(unknownOption.exit()).isEqualTo(ExitCodes.USAGE);
    }

    /** Every command's help ends with the list (HelpAndVersionTest checks that each has one); here, that it is whole. */
    @Test
    void theHelpListsEveryCodeWithItsMeaning() {
        for (String[] command : List.of(new String[] {"--help"}, new String[] {"office", "reminders", "--help"},
                new String[] {"staff", "add", "--help"})) {
            LookupCommandTest.Run help = LookupCommandTest.run(command);
            assertThat(help.exit()).isZero();
            assertThat(help.out()).as(String.join(" ", command)).contains("Exit codes:");
            for (Map.Entry<String, String> e : ExitCodes.helpList().entrySet()) {
                String meaning = e.getValue().substring(0, Math.min(20, e.getValue().length())); // before any wrap
                assertThat(help.out()).as(String.join(" ", command))
                        .containsPattern("(?m)^\\s*" + e.getKey().strip() + "\\s+" + Pattern.quote(meaning));
            }
        }
    }

    /** README's table, "Exit codes", has every code by number and name, and nothing else. */
    @Test
    void theReadmeListsEveryCode() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int at = readme.indexOf("\n## Exit codes\n");
        assertThat(at).as("README section").isPositive();
        String section = readme.substring(at + 1);
        int next = section.indexOf("\n## ");
        section = next < 0 ? section : section.substring(0, next);
        Map<String, Integer> listed = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| `([A-Z_]+)` \\|").matcher(section);
        while (row.find()) {
            listed.put(row.group(2), Integer.parseInt(row.group(1)));
        }
        assertThat(listed).isEqualTo(codes());
    }

    private static Map<String, Integer> codes() throws IllegalAccessException {
        Map<String, Integer> codes = new LinkedHashMap<>();
        List<Field> fields = new ArrayList<>(Arrays.asList(ExitCodes.class.getDeclaredFields()));
        for (Field f : fields) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                codes.put(f.getName(), f.getInt(null));
            }
        }
        return codes;
    }
}
