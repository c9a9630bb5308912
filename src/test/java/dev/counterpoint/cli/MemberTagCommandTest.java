package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.wiring.TerminalWiring;
import dev.counterpoint.member.Member;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code member-tag}: a manager's PIN on standard input, one tag added or removed, and lookup shows the tags. */
class MemberTagCommandTest {
    @TempDir
    Path dir;
    Member wang;

    @BeforeEach
    void store() {
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            wang = ctx.memberService().enrol("王芳", "13800135678", null);
        }
        assertThat(runIn("246810\n", "staff", "add", "li", "--name", "李店长", "--role", "manager").exit()).isZero();
        assertThat(runIn("246810\n135790\n", "staff", "add", "wu", "--name", "吴", "--role", "cashier", "--by", "li")
                .exit()).isZero();
    }

    @Test
    void aManagerAddsAndRemovesATagAndLookupShowsTheCustomTagsApart() throws Exception {
        LookupCommandTest.Run added = runIn("246810\n", "member-tag", wang.cardCode(), "--add", " 素食 ", "--manager", "li");
        assertThat(added.exit()).as(added.err()).isEqualTo(ExitCodes.OK);
        assertThat(added.out()).contains("Tag \"素食\" added to card " + wang.cardCode() + ".").contains("Own tags now: 素食");
        runIn("246810\n", "member-tag", wang.cardCode(), "--add", "VIP", "--manager", "li");

        assertThat(run("lookup", wang.cardCode()).out()).contains("Own tags: VIP · 素食");
        assertThat(new ObjectMapper().readTree(run("lookup", wang.cardCode(), "--json").out()).get("custom_tags").toString())
                .isEqualTo("[\"VIP\",\"素食\"]");

        LookupCommandTest.Run again = runIn("246810\n", "member-tag", wang.cardCode(), "--add", "VIP", "--manager", "li");
        assertThat(again.exit()).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).contains("already had tag \"VIP\" so; nothing was written");
        LookupCommandTest.Run removed = runIn("246810\n", "member-tag", wang.cardCode(), "--remove", "VIP", "--manager", "li");
        assertThat(removed.out()).contains("Tag \"VIP\" removed from card").contains("Own tags now: 素食");
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'member.tagged'")).isEqualTo(3);
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'MEMBER_TAGGED'")).isEqualTo(3);
        }
    }

    @Test
    void eachRefusalHasItsExitCode() {
        LookupCommandTest.Run cashier = runIn("135790\n", "member-tag", wang.cardCode(), "--add", "VIP", "--manager", "wu");
        assertThat(cashier.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        LookupCommandTest.Run wrongPin = runIn("000000\n", "member-tag", wang.cardCode(), "--add", "VIP", "--manager", "li");
        assertThat(wrongPin.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(wrongPin.err()).contains("Wrong PIN for li");
        LookupCommandTest.Run automatic = runIn("246810\n", "member-tag", wang.cardCode(), "--add", "loyal", "--manager", "li");
        assertThat(automatic.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(automatic.err()).contains("\"loyal\" is the name of an automatic tag");
        LookupCommandTest.Run badChars = runIn("246810\n", "member-tag", wang.cardCode(), "--add", "a/b", "--manager", "li");
        assertThat(badChars.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(runIn("246810\n", "member-tag", "2999999999994", "--add", "VIP", "--manager", "li").exit())
                .isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(runIn("246810\n", "member-tag", wang.cardCode(), "--add", "A", "--remove", "B", "--manager", "li").exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(runIn("246810\n", "member-tag", wang.cardCode(), "--manager", "li").exit()).isEqualTo(ExitCodes.USAGE);
        LookupCommandTest.Run help = run("member-tag", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--add=TAG").contains("--remove=TAG").contains("Exit codes:");
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM member_tag")).isZero();
        }
    }

    private LookupCommandTest.Run run(String... args) {
        return runIn("", args);
    }

    private LookupCommandTest.Run runIn(String input, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--data-dir";
        all[1] = dir.toString();
        all[2] = "--lang";
        all[3] = "en";
        System.arraycopy(args, 0, all, 4, args.length);
        return LookupCommandTest.runWithInput(input, all);
    }
}
