package dev.counterpoint.office.console;

import static dev.counterpoint.office.console.ConsoleFixture.CARD_BOTH;
import static dev.counterpoint.office.console.ConsoleFixture.CARD_S001;
import static dev.counterpoint.office.console.ConsoleFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A member's coupons on the console, on its small chain (ConsoleFixture, today 10 March 2026 in Shanghai): 王建国 holds
 * one of each state head office knows, issued by each kind of issuer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleMemberCouponsTest {
    /** 8 March 2026, 10:00 in Shanghai, as a terminal's HLC stamps it. */
    private static final long REDEEMED_HLC = Instant.parse("2026-03-08T02:00:00Z").toEpochMilli() << 16;
    private ConsoleFixture office;

    @BeforeAll
    void start() {
        office = new ConsoleFixture();
        OffsetDateTime now = OffsetDateTime.ofInstant(ConsoleFixture.NOW, ZoneOffset.UTC);
        office.jdbi().useTransaction(h -> {
            coupon(h, "CPUSED000001", "GOLD_PERK", "2026-03-01", "2026-03-31", "ISSUED", "trigger:TIER_PERK", now.minusDays(9));
            UUID redemption = UUID.randomUUID();
            h.execute("INSERT INTO coupon_redemption(id, coupon_code, member_id, store_id, terminal_id, discount_fen, hlc, "
                    + "event_id) VALUES (?, 'CPUSED000001', ?, 'S002', 'T1', 500, ?, ?)", redemption, office.memberBoth,
                    REDEEMED_HLC, UUID.randomUUID());
            h.execute("INSERT INTO coupon_claim(coupon_code, redemption_id, hlc, event_id) VALUES ('CPUSED000001', ?, ?, ?)",
                    redemption, REDEEMED_HLC, UUID.randomUUID());
            // Its last valid day was yesterday.
            coupon(h, "CPEXPD000001", "WIN_BACK", "2026-02-01", "2026-03-09", "ISSUED", "demo:WIN_BACK", now.minusDays(8));
            coupon(h, "CPVOID000001", "BIRTHDAY", "2026-03-01", "2026-03-31", "VOID", "manager:wang", now.minusDays(7));
            // Valid until the end of today.
            coupon(h, "CPGOOD000001", "WELCOME", "2026-03-01", "2026-03-10", "ISSUED", "head-office", now.minusDays(6));
            coupon(h, "CPODD0000001", "NO_SUCH", "2026-03-01", "2026-03-31", "ISSUED", "somebody:else", now.minusDays(5));
        });
    }

    private void coupon(Handle h, String code, String template, String from, String until, String status, String issuedBy,
                        OffsetDateTime issuedAt) {
        h.execute("INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, issued_at, status, issued_by) "
                        + "VALUES (?, ?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), ?, ?, ?)", UUID.randomUUID(), code,
                office.memberBoth, template, from, until, issuedAt, status, issuedBy);
    }

    @AfterAll
    void stop() {
        office.close();
    }

    @Test
    void eachCouponShowsItsStateItsTemplatesNameAndWhoIssuedIt() throws Exception {
        ConsoleClient boss = office.as(OWNER);
        // Coupon, template, valid from, valid until, status, issued by, redeemed; the latest issued first.
        assertThat(ConsoleFixture.rows(boss.get("/export/member-coupons.csv?card=" + CARD_BOTH))).containsExactly(
                "CPODD0000001,NO_SUCH,2026-03-01,2026-03-31,\"issued, not used\",somebody:else,",
                "CPGOOD000001,Welcome ¥10 off,2026-03-01,2026-03-10,\"issued, not used\",head office,",
                "CPVOID000001,Birthday ¥20 off ¥50,2026-03-01,2026-03-31,voided,Store manager wang,",
                "CPEXPD000001,Come back ¥15 off ¥80,2026-02-01,2026-03-09,expired,Demo history: Win-back,",
                "CPUSED000001,Gold 10% off (up to ¥50),2026-03-01,2026-03-31,redeemed,Tier perk,\"at S002, 2026-03-08 10:00\"");
        String page = boss.get("/members/" + CARD_BOTH).body();
        assertThat(page).contains("Gold 10% off (up to ¥50)").contains("Demo history: Win-back").doesNotContain("GOLD_PERK")
                .doesNotContain("trigger:TIER_PERK").doesNotContain("demo:WIN_BACK");

        ConsoleClient zh = office.as(OWNER);
        zh.language = "zh-CN";
        assertThat(ConsoleFixture.rows(zh.get("/export/member-coupons.csv?card=" + CARD_BOTH))).containsExactly(
                "CPODD0000001,NO_SUCH,2026-03-01,2026-03-31,已发放，未使用,somebody:else,",
                "CPGOOD000001,新会员礼 ¥10,2026-03-01,2026-03-10,已发放，未使用,总部,",
                "CPVOID000001,生日礼 满¥50减¥20,2026-03-01,2026-03-31,已作废,店长 wang,",
                "CPEXPD000001,回归礼 满¥80减¥15,2026-02-01,2026-03-09,已过期,演示数据：回归召回,",
                "CPUSED000001,金卡 9 折 (最多减¥50),2026-03-01,2026-03-31,已核销,等级礼遇,于 S002，2026-03-08 10:00");
    }

    @Test
    void aCouponTwoStoresRedeemedIsTheOneRedemptionsThatHoldsIt() throws Exception {
        // The fixture's head-office coupon: held by S001/T1's redemption, also tried at T2; its stamp carries no time.
        assertThat(ConsoleFixture.rows(office.as(OWNER).get("/export/member-coupons.csv?card=" + CARD_S001))).containsExactly(
                "HQ0000000001,Welcome ¥10 off,2026-03-01,2026-03-31,redeemed,head office,at S001 (redeemed 2 times)");
    }
}
