package dev.counterpoint.cli;

import static dev.counterpoint.cli.LookupCommandTest.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contracts of staff, checkout, refund, void, audit verify and close-day: PINs from standard input. */
class CheckoutCommandsTest {
    @TempDir
    Path dir;
    Member wang;
    String coupon;

    @BeforeEach
    void store() {
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            wang = ctx.memberService().enrol("王芳", "13800135678", null);
            ctx.database().jdbi().useTransaction(h -> {
                ctx.pointsLedger().append(h, wang.id(), 1_000, PointsKind.OPENING, LocalDate.now().plusYears(1), null,
                        OffsetDateTime.now(), ctx.hlc().now());
                ctx.storedValueLedger().append(h, wang.id(), 5_000, StoredValueKind.OPENING, null, OffsetDateTime.now(),
                        ctx.hlc().now());
                coupon = ctx.couponService().issue(h, wang.id(), ctx.couponRepository().template(h, "WIN_BACK").orElseThrow(),
                        "trigger:WIN_BACK").code();
            });
        }
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

    private void staff() {
        assertThat(run("246810\n", "staff", "add", "li", "--name", "李店长", "--role", "manager").exit()).isZero();
        LookupCommandTest.Run noBy = run("135790\n", "staff", "add", "wu", "--name", "吴", "--role", "cashier");
        assertThat(noBy.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(noBy.err()).contains("a manager must approve a new one (--by)");
        LookupCommandTest.Run wrongBy = run("000000\n135790\n", "staff", "add", "wu", "--name", "吴", "--role", "cashier",
                "--by", "li");
        assertThat(wrongBy.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        LookupCommandTest.Run added = run("246810\n135790\n", "staff", "add", "wu", "--name", "吴", "--role", "cashier",
                "--by", "li");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("Staff account wu (吴, cashier) added.");
        assertThat(run("", "staff", "list").out()).contains("wu\t吴\tcashier").doesNotContain("135790");
    }

    @Test
    void aCheckoutPrintsItsFiguresAsJsonAndAWrongPinOrARefusedRuleWritesNothing() throws Exception {
        staff();
        long events = count("SELECT COUNT(*) FROM outbox_event");
        LookupCommandTest.Run wrongPin = run("999999\n", "checkout", wang.cardCode(), "--amount", "100", "--staff", "wu");
        assertThat(wrongPin.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(wrongPin.err()).contains("Wrong PIN for wu");
        LookupCommandTest.Run tooMuch = run("135790\n", "checkout", wang.cardCode(), "--amount", "100", "--points", "5000",
                "--staff", "wu");
        assertThat(tooMuch.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(tooMuch.err()).contains("Not enough points");
        assertThat(count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);
        assertThat(count("SELECT COUNT(*) FROM purchase")).isZero();

        LookupCommandTest.Run done = run("135790\n", "checkout", wang.cardCode(), "--amount", "100", "--coupon", coupon,
                "--points", "200", "--stored-value", "30", "--staff", "wu", "--json", "--print");
        assertThat(done.exit()).as(done.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(done.out().substring(0, done.out().lastIndexOf('}') + 1));
        assertThat(doc.get("receipt_no").asText()).isEqualTo("S001-T1-000001");
        assertThat(doc.get("gross_fen").asLong()).isEqualTo(10_000);
        assertThat(doc.get("discount_fen").asLong()).isEqualTo(1_500);
        assertThat(doc.get("points_redeemed").asLong()).isEqualTo(200);
        assertThat(doc.get("points_value_fen").asLong()).isEqualTo(200);
        assertThat(doc.get("stored_value_fen").asLong()).isEqualTo(3_000);
        assertThat(doc.get("payable_fen").asLong()).isEqualTo(10_000 - 1_500 - 200 - 3_000);
        assertThat(doc.get("points_earned").asLong()).isEqualTo(83);
        assertThat(doc.get("points_balance").asLong()).isEqualTo(1_000 - 200 + 83);
        assertThat(doc.get("stored_value_balance_fen").asLong()).isEqualTo(2_000);
        assertThat(doc.get("staff_id").asText()).isEqualTo("wu");
        // no printer set up: --print writes the receipt's text
        assertThat(done.out()).containsPattern("Receipt +S001-T1-000001").containsPattern("To pay +¥53.00")
                .containsPattern("Points earned +\\+83");
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'checkout.completed'")).isEqualTo(1);
    }

    @Test
    void aRefundNeedsAManagerAndReversesTheCheckoutAndTheAuditChainVerifiesUntilARowIsChanged() throws Exception {
        staff();
        LookupCommandTest.Run sold = run("135790\n", "checkout", wang.cardCode(), "--item", "BEAN,咖啡豆,1,60", "--item",
                "LATTE,,2,40", "--best-coupon", "--staff", "wu", "--json");
        assertThat(sold.exit()).as(sold.err()).isZero();
        String receipt = new ObjectMapper().readTree(sold.out()).get("receipt_no").asText();
        long events = count("SELECT COUNT(*) FROM outbox_event");

        LookupCommandTest.Run noManager = run("135790\n", "refund", receipt, "--staff", "wu");
        assertThat(noManager.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(noManager.err()).contains("needs a manager");
        LookupCommandTest.Run cashierAsManager = run("135790\n135790\n", "refund", receipt, "--staff", "wu", "--manager", "wu");
        assertThat(cashierAsManager.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        LookupCommandTest.Run wrongManagerPin = run("135790\n000000\n", "refund", receipt, "--staff", "wu", "--manager", "li");
        assertThat(wrongManagerPin.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        assertThat(count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);

        LookupCommandTest.Run line = run("135790\n246810\n", "refund", receipt, "--line", "2", "--staff", "wu", "--manager", "li",
                "--json");
        assertThat(line.exit()).as(line.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(line.out());
        assertThat(r.get("lines")).hasSize(1);
        assertThat(r.get("gross_fen").asLong()).isEqualTo(4_000);
        assertThat(r.get("discount_fen").asLong()).isEqualTo(600); // ¥15 off ¥100, shared by amount
        assertThat(r.get("payable_fen").asLong()).isEqualTo(3_400);
        assertThat(r.get("complete").asBoolean()).isFalse();
        LookupCommandTest.Run rest = run("135790\n246810\n", "refund", receipt, "--staff", "wu", "--manager", "li", "--json");
        assertThat(new ObjectMapper().readTree(rest.out()).get("coupon_restored").asBoolean()).isTrue();
        assertThat(count("SELECT COALESCE(SUM(delta), 0) FROM points_entry")).isEqualTo(1_000);

        LookupCommandTest.Run intact = run("", "audit", "verify");
        assertThat(intact.exit()).isZero();
        assertThat(intact.out()).startsWith("Audit chain intact: 4 entries.");

        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            ctx.database().jdbi().useHandle(h -> h.execute(
                    "UPDATE audit_log SET detail = REPLACE(detail, '\"cashier\":\"wu\"', '\"cashier\":\"li\"') WHERE seq = 3"));
        }
        LookupCommandTest.Run broken = run("", "audit", "verify");
        assertThat(broken.exit()).isEqualTo(ExitCodes.AUDIT_BROKEN);
        assertThat(broken.err()).startsWith("Audit chain broken at entry 3 (");
    }

    /**
     * A checkout of ¥3,500 by 吴 that raises 王芳 to Gold, and the counter's upkeep after it (which issues the Gold perk
     * once she is Gold); returns its receipt number. Rung up on a clock of whole milliseconds, which the database keeps as they are.
     */
    private String raiseToGold() {
        Clock millis = Clock.tickMillis(java.time.ZoneId.systemDefault());
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, millis)) {
            dev.counterpoint.checkout.CheckoutReceipt r = ctx.checkouts().complete(
                    new dev.counterpoint.checkout.CheckoutRequest(wang.id(), 350_000L, java.util.List.of(),
                            dev.counterpoint.checkout.CheckoutRequest.CouponChoice.NONE, 0, 0),
                    ctx.staffAccounts().authenticate("wu", "135790"));
            assertThat(r.tierAfter()).isEqualTo(dev.counterpoint.protocol.Tier.GOLD);
            ctx.memberUpkeep().bringUpToDate(wang.id());
            return r.receiptNo();
        }
    }

    private java.util.List<String> perks(String status) {
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemDefaultZone())) {
            return ctx.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT code FROM coupon WHERE issued_by = 'trigger:TIER_PERK' AND status = :s")
                    .bind("s", status).mapTo(String.class).list());
        }
    }

    @Test
    void aVoidThatTakesTheTierRaiseBackSaysSoInItsJsonAndText() throws Exception {
        staff();
        String receipt = raiseToGold();
        java.util.List<String> perk = perks("ISSUED");
        assertThat(perk).hasSize(1);

        LookupCommandTest.Run voided = run("135790\n246810\n", "void", receipt, "--staff", "wu", "--manager", "li", "--json");

        assertThat(voided.exit()).as(voided.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(voided.out());
        assertThat(doc.get("kind").asText()).isEqualTo("VOID");
        assertThat(doc.get("gross_fen").asLong()).isEqualTo(350_000);
        JsonNode undone = doc.get("upgrade_undone");
        assertThat(undone.get("from_tier").asText()).isEqualTo("GOLD");
        assertThat(undone.get("to_tier").asText()).isEqualTo("NORMAL");
        assertThat(undone.get("perks_voided")).extracting(JsonNode::asText).containsExactlyElementsOf(perk);
        assertThat(perks("VOID")).isEqualTo(perk);

        // Raised again (its perk was issued today already: none anew), and said in words without --json.
        String again = raiseToGold();
        LookupCommandTest.Run words = run("135790\n246810\n", "void", again, "--staff", "wu", "--manager", "li");
        assertThat(words.exit()).as(words.err()).isZero();
        assertThat(words.out()).contains("Tier back to Standard.");

        // A refund takes no tier back: null.
        LookupCommandTest.Run small = run("135790\n", "checkout", wang.cardCode(), "--amount", "10", "--staff", "wu",
                "--json");
        String third = new ObjectMapper().readTree(small.out()).get("receipt_no").asText();
        LookupCommandTest.Run refund = run("135790\n246810\n", "refund", third, "--staff", "wu", "--manager", "li",
                "--json");
        assertThat(refund.exit()).as(refund.err()).isZero();
        assertThat(new ObjectMapper().readTree(refund.out()).get("upgrade_undone").isNull()).isTrue();
    }

    @Test
    void aVoidTheSameDayAndACloseOfDayByAManagerOnceADay() throws Exception {
        staff();
        LookupCommandTest.Run sold = run("135790\n", "checkout", wang.cardCode(), "--amount", "88", "--staff", "wu", "--json");
        String receipt = new ObjectMapper().readTree(sold.out()).get("receipt_no").asText();
        run("135790\n", "checkout", wang.cardCode(), "--amount", "12", "--staff", "wu");
        LookupCommandTest.Run voided = run("135790\n246810\n", "void", receipt, "--staff", "wu", "--manager", "li");
        assertThat(voided.exit()).as(voided.err()).isZero();
        // Only what went back is named, as at the counter: no stored value and no points given back here.
        assertThat(voided.out()).contains("¥88.00 taken back; hand back ¥88.00; points taken back ")
                .doesNotContain("stored value", "points given back");

        LookupCommandTest.Run cashierCloses = run("135790\n", "close-day", "--manager", "wu");
        assertThat(cashierCloses.exit()).isEqualTo(ExitCodes.NOT_APPROVED);
        LookupCommandTest.Run closed = run("246810\n", "close-day", "--manager", "li");
        assertThat(closed.exit()).as("not registered: the report is made, not confirmed").isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(closed.out()).contains("Sales: 1, total ¥12.00", "Checkouts: 1;", "Voids: 1, ¥88.00")
                .doesNotContain("After the close");
        assertThat(closed.out() + closed.err()).as("which store to register").contains("(data dir " + dir.toAbsolutePath() + ")");
        LookupCommandTest.Run again = run("246810\n", "close-day", "--manager", "li");
        assertThat(again.out()).contains("This day was closed already", "Sales: 1, total ¥12.00");
        assertThat(count("SELECT COUNT(*) FROM close_day")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE action = 'DAY_CLOSED' AND staff_id = 'li'")).isEqualTo(1);
    }

    @Test
    void closeDayPrintsWhatCameAfterAnEarlierDaysCloseInBothLanguages() {
        staff();
        LocalDate day = LocalDate.of(2020, 1, 10);
        ZoneId zone = ZoneId.systemDefault();
        TestClock clock = new TestClock(day.atTime(20, 0).atZone(zone).toInstant(), zone);
        try (TerminalWiring ctx = TerminalWiring.open(dir, Locale.ENGLISH, clock)) {
            ctx.closeDay().close(day, "li");
            clock.set(day.atTime(21, 0).atZone(zone).toInstant());
            ctx.checkoutService().recordSale(wang.id(), 4_300L, java.util.List.of());
            clock.set(day.atTime(23, 59).atZone(zone).toInstant());
            ctx.checkoutService().recordSale(wang.id(), 4_300L, java.util.List.of());
        }
        LookupCommandTest.Run closed = run("246810\n", "close-day", "--manager", "li", "--date", "2020-01-11");
        assertThat(closed.out()).contains("Sales: 0, total ¥0.00");
        assertThat(closed.out().lines().filter(l -> l.contains("close of"))).as(closed.out())
                .containsExactly("After the close of 2020-01-10: 2 sales ¥86.00");
        LookupCommandTest.Run chinese = runWithInput("246810\n", "--data-dir", dir.toString(), "--lang", "zh", "close-day",
                "--manager", "li", "--date", "2020-01-11");
        assertThat(chinese.out()).contains("本日已日结").contains("2020-01-10 日结之后：销售 2 笔 ¥86.00");
    }
}
