package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.EnrolmentConsent;
import dev.counterpoint.member.Member;
import dev.counterpoint.testing.Traces;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** member-edit's consent flags, member-erase and export-members at a till, and what lookup then shows. */
class ConsentAndErasureCommandsTest {
    @TempDir
    Path dir;
    Member wang;
    Member formula;

    @BeforeEach
    void store() {
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            wang = ctx.memberService().enrol("王芳", "13800135678", LocalDate.of(1990, 3, 13),
                    new EnrolmentConsent(true, false, false));
            ctx.checkoutService().recordSale(wang.id(), null, List.of(new PurchaseLine("BEAN-WANG", "咖啡豆", 1, 8_800)));
            formula = ctx.memberService().enrol("=HYPERLINK(\"http://x.example\",\"点我\")", "13900001111", null);
        }
    }

    @Test
    void memberEditChangesMarketingConsentPerChannelAndLookupShowsIt() throws Exception {
        LookupCommandTest.Run before = run("lookup", wang.cardCode(), "--json");
        JsonNode doc = new ObjectMapper().readTree(before.out());
        assertThat(doc.get("erased").asBoolean()).isFalse();
        assertThat(doc.get("marketing_consent").asBoolean()).isFalse();
        assertThat(doc.get("consent").get("privacy_notice").get("granted").asBoolean()).isTrue();
        assertThat(doc.get("consent").get("marketing_sms").get("granted").asBoolean()).isFalse();

        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            ctx.staffAccounts().addFirst("E-17", "王店长", dev.counterpoint.protocol.StaffRole.MANAGER, "135790");
        }
        LookupCommandTest.Run edit = run("member-edit", wang.cardCode(), "--marketing-sms", "是", "--marketing-wechat", "NO",
                "--staff", "E-17");
        assertThat(edit.exit()).isZero();
        assertThat(edit.out()).contains("Marketing: SMS yes · WeChat no");

        JsonNode after = new ObjectMapper().readTree(run("lookup", wang.cardCode(), "--json").out());
        assertThat(after.get("marketing_consent").asBoolean()).isTrue();
        JsonNode sms = after.get("consent").get("marketing_sms");
        assertThat(sms.get("granted").asBoolean()).isTrue();
        assertThat(sms.get("terminal_id").asText()).isEqualTo("T1");
        assertThat(sms.get("staff_id").asText()).isEqualTo("E-17");
        assertThat(after.get("consent").get("marketing_wechat").get("granted").asBoolean()).isFalse();
        assertThat(run("lookup", wang.cardCode()).out()).contains("Marketing: SMS yes · WeChat no");
        // A member whose consent was never asked (the demo store, an import without the column) says so.
        assertThat(run("lookup", formula.cardCode()).out()).contains("Marketing: SMS not asked · WeChat not asked");
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'member.consent'")).isEqualTo(2);
        }
    }

    @Test
    void memberEditRefusesAStaffIdThatIsNoAccountOfTheStoreAndChangesNothing() throws Exception {
        LookupCommandTest.Run edit = run("member-edit", wang.cardCode(), "--marketing-sms", "yes", "--staff", "E-99");
        assertThat(edit.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(edit.err()).contains("Staff E-99 is not an active account of this store");
        JsonNode after = new ObjectMapper().readTree(run("lookup", wang.cardCode(), "--json").out());
        assertThat(after.get("consent").get("marketing_sms").get("granted").asBoolean()).isFalse();
    }

    @Test
    void memberEditRefusesAnAnswerThatIsNotYesOrNoAndChangesNothing() {
        LookupCommandTest.Run edit = run("member-edit", wang.cardCode(), "--marketing-sms", "maybe");
        assertThat(edit.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(edit.err()).contains("--marketing-sms \"maybe\" is not one of yes, no, 1, 0, 是, 否.");
        LookupCommandTest.Run badName = run("member-edit", wang.cardCode(), "--name", "王\u202E芳");
        assertThat(badName.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(badName.err()).contains("The name must not hold line breaks, other control characters or text-direction controls.");
        LookupCommandTest.Run markedName = run("member-edit", wang.cardCode(), "--name", "王\u061C芳");
        assertThat(markedName.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run("lookup", wang.cardCode()).out()).startsWith("王芳 ").contains("Marketing: SMS no · WeChat no");
    }

    @Test
    void memberEraseNeedsTheManagerPinThenLookupReportsTheCardAsErased() throws Exception {
        assertThat(runIn("246810\n", "member-erase", wang.cardCode(), "--manager", "li").exit())
                .isEqualTo(ExitCodes.NOT_APPROVED);
        aManager();
        LookupCommandTest.Run wrong = runIn("999999\n", "member-erase", wang.cardCode(), "--manager", "li");
        assertThat(wrong.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(wrong.err()).contains("Wrong PIN for li");
        assertThat(run("lookup", wang.cardCode()).out()).startsWith("王芳");

        LookupCommandTest.Run erase = runIn("246810\n", "member-erase", wang.cardCode(), "--manager", "li");
        assertThat(erase.exit()).isZero();
        assertThat(erase.out()).contains("Card " + wang.cardCode() + " erased here.");

        LookupCommandTest.Run json = run("lookup", wang.cardCode(), "--json");
        assertThat(json.exit()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("card_code").asText()).isEqualTo(wang.cardCode());
        assertThat(doc.get("erased").asBoolean()).isTrue();
        assertThat(doc.get("erased_at").asText()).isNotBlank();
        assertThat(doc.has("name")).isFalse();
        LookupCommandTest.Run text = run("lookup", wang.cardCode());
        assertThat(text.out()).startsWith("Card " + wang.cardCode() + " was erased on ").doesNotContain("王芳");
        assertThat(runIn("246810\n", "member-erase", wang.cardCode(), "--manager", "li").out()).contains("was erased before");
        assertThat(run("member-edit", wang.cardCode(), "--name", "王芳").err()).contains("personal data was erased");
        assertThat(runIn("246810\n", "member-erase", "2999999999994", "--manager", "li").exit())
                .isEqualTo(ExitCodes.NOT_FOUND);

        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            assertThat(Traces.of(ctx.database().jdbi(), "王芳", "BEAN-WANG", "138****5678", "1990-03-13")).isEmpty();
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'member.erased'")).isEqualTo(1);
            assertThat(ctx.database().queryLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry")).isEqualTo(88);
            assertThat(ctx.database().queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'MEMBER_ERASED' AND staff_id = 'li'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void exportMembersWritesACsvWhoseCellsNoSpreadsheetTakesForAFormula() throws Exception {
        aManager();
        run("member-edit", formula.cardCode(), "--marketing-wechat", "yes");
        Path file = dir.resolve("members.csv");

        LookupCommandTest.Run all = runIn("246810\n", "export-members", file.toString(), "--manager", "li");
        assertThat(all.exit()).isZero();
        assertThat(all.out()).contains("Wrote 2 members to " + file);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("\u00EF\u00BB\u00BF");
        List<CSVRecord> rows = read(file);
        assertThat(rows.get(0).toList()).containsExactly("card_code", "name", "phone_masked", "birthday", "tier", "home_store",
                "enrolled_at", "marketing_sms", "marketing_wechat");
        CSVRecord f = rows.stream().filter(r -> r.get(0).equals(formula.cardCode())).findFirst().orElseThrow();
        assertThat(f.get(1)).isEqualTo("'=HYPERLINK(\"http://x.example\",\"点我\")");
        assertThat(f.get(7)).isEmpty();
        assertThat(f.get(8)).isEqualTo("yes");
        CSVRecord w = rows.stream().filter(r -> r.get(0).equals(wang.cardCode())).findFirst().orElseThrow();
        assertThat(w.toList()).containsExactly(wang.cardCode(), "王芳", "138****5678", "1990-03-13", "NORMAL", "S001",
                w.get(6), "no", "no");

        runIn("246810\n", "export-members", file.toString(), "--manager", "li", "--marketing", "wechat");
        assertThat(read(file)).extracting(r -> r.get(0)).containsExactly("card_code", formula.cardCode());
        assertThat(runIn("246810\n", "export-members", file.toString(), "--manager", "li", "--marketing", "fax").exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(runIn("000000\n", "export-members", file.toString(), "--manager", "li").exit())
                .isEqualTo(ExitCodes.NOT_APPROVED);
        runIn("246810\n", "member-erase", formula.cardCode(), "--manager", "li");
        runIn("246810\n", "export-members", file.toString(), "--manager", "li");
        assertThat(read(file)).extracting(r -> r.get(0)).as("an erased member is not listed")
                .containsExactly("card_code", wang.cardCode());
    }

    private static List<CSVRecord> read(Path file) throws Exception {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            r.read(); // the BOM
            return CSVFormat.RFC4180.parse(r).getRecords();
        }
    }

    private LookupCommandTest.Run run(String... args) {
        return runIn("", args);
    }

    /** As {@link #run}, with {@code input} on standard input (PINs, one per line). */
    private LookupCommandTest.Run runIn(String input, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--data-dir";
        all[1] = dir.toString();
        all[2] = "--lang";
        all[3] = "en";
        System.arraycopy(args, 0, all, 4, args.length);
        return LookupCommandTest.runWithInput(input, all);
    }

    private void aManager() {
        assertThat(runIn("246810\n", "staff", "add", "li", "--name", "李店长", "--role", "manager").exit()).isZero();
    }
}
