package dev.counterpoint.cli;

import static dev.counterpoint.cli.LookupCommandTest.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code adjust} command's contract: a member of staff's PIN and a manager's on standard input, a reason, one kind
 * and an amount within bounds; anything refused writes nothing, and what is written is audited in the chain.
 */
class AdjustCommandTest {
    static final String PINS = "135790\n246810\n";

    @TempDir
    Path dir;
    Member wang;

    @BeforeEach
    void store() {
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            wang = ctx.memberService().enrol("王芳", "13800135678", null);
            ctx.database().jdbi().useTransaction(h -> {
                ctx.pointsLedger().append(h, wang.id(), 1_000, PointsKind.OPENING, LocalDate.now().plusYears(1), null,
                        OffsetDateTime.now(), ctx.hlc().now());
                ctx.storedValueLedger().append(h, wang.id(), 5_000, StoredValueKind.OPENING, null, OffsetDateTime.now(),
                        ctx.hlc().now());
            });
        }
        assertThat(run("246810\n", "staff", "add", "li", "--name", "李店长", "--role", "manager").exit()).isZero();
        assertThat(run("246810\n135790\n", "staff", "add", "wu", "--name", "吴", "--role", "cashier", "--by", "li").exit())
                .isZero();
    }

    private LookupCommandTest.Run run(String input, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--data-dir";
        all[1] = dir.toString();
        all[2] = "--lang";
        all[3] = "en";
        System.arraycopy(args, 0, all, 4, args.length);
        return runWithInput(input, all);
    }

    private long count(String sql) {
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            return ctx.database().queryLong(sql);
        }
    }

    /** Everything an adjustment writes: both ledgers, the outbox, the audit chain. */
    private List<Long> written() {
        return List.of(count("SELECT COUNT(*) FROM points_entry"), count("SELECT COUNT(*) FROM sv_entry"),
                count("SELECT COUNT(*) FROM outbox_event"), count("SELECT COUNT(*) FROM audit_log"));
    }

    private JsonNode json(LookupCommandTest.Run run) throws Exception {
        return new ObjectMapper().readTree(run.out());
    }

    @Test
    void aManagerAdjustsPointsAndStoredValueEitherWayAndEachIsAuditedAndSentToHeadOffice() throws Exception {
        LookupCommandTest.Run added = run(PINS, "adjust", wang.cardCode(), "--points", "500", "--reason",
                "  lost paper voucher honoured  ", "--staff", "wu", "--manager", "li", "--json");
        assertThat(added.exit()).as(added.err()).isZero();
        JsonNode a = json(added);
        assertThat(UUID.fromString(a.get("adjustment_id").asText())).isNotNull();
        assertThat(a.get("card_code").asText()).isEqualTo(wang.cardCode());
        assertThat(a.get("kind").asText()).isEqualTo("POINTS");
        assertThat(a.get("delta").asLong()).isEqualTo(500);
        assertThat(a.get("balance_after").asLong()).isEqualTo(1_500);
        assertThat(a.get("staff_id").asText()).isEqualTo("wu");
        assertThat(a.get("manager_id").asText()).isEqualTo("li");
        assertThat(a.get("reason").asText()).isEqualTo("lost paper voucher honoured");
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE kind = 'ADJUST' AND delta = 500 AND lot_expires_on IS NOT NULL"))
                .isEqualTo(1);

        LookupCommandTest.Run taken = run(PINS, "adjust", wang.cardCode(), "--points", "-1200", "--reason", "till error",
                "--staff", "wu", "--manager", "li");
        assertThat(taken.exit()).as(taken.err()).isZero();
        assertThat(taken.out()).contains("Points of card " + wang.cardCode() + " adjusted by -1200: balance now 300.",
                "Approved by li");
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE kind = 'ADJUST' AND delta < 0 AND ref_id IS NOT NULL"))
                .as("taken from both lots, each named").isEqualTo(2);

        LookupCommandTest.Run sv = run(PINS, "adjust", wang.cardCode(), "--stored-value=-20.50", "--reason", "till error at close",
                "--staff", "wu", "--manager", "li", "--json");
        assertThat(sv.exit()).as(sv.err()).isZero();
        assertThat(json(sv).get("kind").asText()).isEqualTo("STORED_VALUE");
        assertThat(json(sv).get("delta").asLong()).isEqualTo(-2_050);
        assertThat(json(sv).get("balance_after").asLong()).isEqualTo(2_950);
        LookupCommandTest.Run svUp = run(PINS, "adjust", wang.cardCode(), "--stored-value", "¥8", "--reason", "goodwill",
                "--staff", "wu", "--manager", "li");
        assertThat(svUp.out()).contains("adjusted by +¥8.00: balance now ¥37.50");

        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'points.adjusted'")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'stored_value.adjusted'")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'BALANCE_ADJUSTED' AND staff_id = 'li' AND subject = '"
                + wang.cardCode() + "'")).isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'BALANCE_ADJUSTED' AND detail LIKE "
                + "'%\"reason\":\"lost paper voucher honoured\"%' AND detail LIKE '%\"staff\":\"wu\"%' "
                + "AND detail LIKE '%\"manager\":\"li\"%' AND detail LIKE '%\"delta\":\"500\"%'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%\"delta\":\"-¥20.50\"%'")).isEqualTo(1);
        LookupCommandTest.Run lookup = run("", "lookup", wang.cardCode(), "--json");
        assertThat(json(lookup).get("points").asLong()).isEqualTo(300);
        assertThat(json(lookup).get("stored_value_fen").asLong()).isEqualTo(3_750);
    }

    @Test
    void withoutAManagerOrWithAWrongPinNothingIsWritten() {
        List<Long> before = written();
        LookupCommandTest.Run noManager = run("135790\n", "adjust", wang.cardCode(), "--points", "500", "--reason", "goodwill",
                "--staff", "wu");
        assertThat(noManager.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(noManager.err()).contains("needs a manager's approval");
        LookupCommandTest.Run wrongStaffPin = run("000000\n246810\n", "adjust", wang.cardCode(), "--points", "500", "--reason",
                "goodwill", "--staff", "wu", "--manager", "li");
        assertThat(wrongStaffPin.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(wrongStaffPin.err()).contains("Wrong PIN for wu");
        LookupCommandTest.Run wrongManagerPin = run("135790\n000000\n", "adjust", wang.cardCode(), "--points", "500",
                "--reason", "goodwill", "--staff", "wu", "--manager", "li");
        assertThat(wrongManagerPin.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(wrongManagerPin.err()).contains("Wrong PIN for li");
        LookupCommandTest.Run cashierAsManager = run("135790\n135790\n", "adjust", wang.cardCode(), "--points", "500",
                "--reason", "goodwill", "--staff", "wu", "--manager", "wu");
        assertThat(cashierAsManager.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        LookupCommandTest.Run noPins = run("", "adjust", wang.cardCode(), "--points", "500", "--reason", "goodwill",
                "--staff", "wu", "--manager", "li");
        assertThat(noPins.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(written()).isEqualTo(before);
        LookupCommandTest.Run unknown = run(PINS, "adjust", "2999999999994", "--points", "500", "--reason", "goodwill",
                "--staff", "wu", "--manager", "li");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void anAdjustmentBelowZeroIsRefusedAndWritesNothing() {
        List<Long> before = written();
        LookupCommandTest.Run points = run(PINS, "adjust", wang.cardCode(), "--points", "-1001", "--reason", "till error",
                "--staff", "wu", "--manager", "li");
        assertThat(points.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(points.err()).contains("Taking 1,001 points would leave the balance below zero: 1,000 can be taken.");
        LookupCommandTest.Run sv = run(PINS, "adjust", wang.cardCode(), "--stored-value", "-50.01", "--reason", "till error",
                "--staff", "wu", "--manager", "li");
        assertThat(sv.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(sv.err()).contains("Taking ¥50.01 would leave the stored value below zero: the balance is ¥50.00.");
        assertThat(written()).isEqualTo(before);
        LookupCommandTest.Run all = run(PINS, "adjust", wang.cardCode(), "--stored-value", "-50", "--reason", "till error",
                "--staff", "wu", "--manager", "li", "--json");
        assertThat(all.exit()).as("down to zero is allowed").isZero();
    }

    @Test
    void aMissingOrBadReasonKindOrAmountIsBadInputAndNoPinIsAsked() {
        List<Long> before = written();
        String card = wang.cardCode();
        assertBadInput("Say why the balance is adjusted", "adjust", card, "--points", "5", "--staff", "wu", "--manager", "li");
        assertBadInput("Say why the balance is adjusted", "adjust", card, "--points", "5", "--reason", "   ", "--staff", "wu",
                "--manager", "li");
        assertBadInput("The reason is too long (at most 200 characters)", "adjust", card, "--points", "5", "--reason",
                "x".repeat(201), "--staff", "wu", "--manager", "li");
        assertBadInput("The reason must be one line", "adjust", card, "--points", "5", "--reason", "lost\nvoucher",
                "--staff", "wu", "--manager", "li");
        assertBadInput("The reason must be one line", "adjust", card, "--points", "5", "--reason", "lost \u0007voucher",
                "--staff", "wu", "--manager", "li");
        assertBadInput("The reason must be one line", "adjust", card, "--points", "5", "--reason", "lost \u202Evoucher",
                "--staff", "wu", "--manager", "li");
        assertBadInput("The reason must be one line", "adjust", card, "--points", "5", "--reason", "lost \u200Fvoucher",
                "--staff", "wu", "--manager", "li");
        assertBadInput("The reason must be one line", "adjust", card, "--points", "5", "--reason", "lost\u2028voucher",
                "--staff", "wu", "--manager", "li");
        assertBadInput("exactly one of --points N and --stored-value YUAN", "adjust", card, "--points", "5", "--stored-value",
                "5", "--reason", "x", "--staff", "wu", "--manager", "li");
        assertBadInput("exactly one of --points N and --stored-value YUAN", "adjust", card, "--reason", "x", "--staff", "wu",
                "--manager", "li");
        assertBadInput("other than zero", "adjust", card, "--points", "-0", "--reason", "x", "--staff", "wu", "--manager", "li");
        assertBadInput("at most 10,000,000 points either way", "adjust", card, "--points", "10000001", "--reason", "x",
                "--staff", "wu", "--manager", "li");
        assertBadInput("at most ¥100,000.00 of stored value either way", "adjust", card, "--stored-value", "-100000.01",
                "--reason", "x", "--staff", "wu", "--manager", "li");
        assertBadInput("is not a number of points", "adjust", card, "--points", "1.5", "--reason", "x", "--staff", "wu",
                "--manager", "li");
        assertBadInput("is not an amount", "adjust", card, "--stored-value", "--5", "--reason", "x", "--staff", "wu",
                "--manager", "li");
        assertThat(written()).isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM staff WHERE failed_attempts > 0")).as("no PIN was read").isZero();
    }

    private void assertBadInput(String message, String... args) {
        // Both PINs are on standard input: a bad request must be refused before either is read.
        LookupCommandTest.Run r = run(PINS, args);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(message);
    }

    @Test
    void theAuditChainVerifiesWithAdjustmentsAndATamperedAdjustmentIsFound() {
        assertThat(run(PINS, "adjust", wang.cardCode(), "--points", "300", "--reason", "goodwill points", "--staff", "wu",
                "--manager", "li").exit()).isZero();
        assertThat(run(PINS, "adjust", wang.cardCode(), "--stored-value", "12", "--reason", "lost voucher", "--staff", "wu",
                "--manager", "li").exit()).isZero();
        LookupCommandTest.Run intact = run("", "audit", "verify");
        assertThat(intact.exit()).as(intact.err()).isZero();
        assertThat(intact.out()).startsWith("Audit chain intact: 4 entries.");

        long seq = count("SELECT seq FROM audit_log WHERE action = 'BALANCE_ADJUSTED' AND detail LIKE '%goodwill points%'");
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            ctx.database().jdbi().useHandle(h -> h.execute(
                    "UPDATE audit_log SET detail = REPLACE(detail, '\"delta\":\"300\"', '\"delta\":\"30\"') WHERE seq = ?", seq));
        }
        LookupCommandTest.Run broken = run("", "audit", "verify");
        assertThat(broken.exit()).isEqualTo(ExitCodes.AUDIT_BROKEN);
        assertThat(broken.err()).startsWith("Audit chain broken at entry " + seq + " (");
    }
}
