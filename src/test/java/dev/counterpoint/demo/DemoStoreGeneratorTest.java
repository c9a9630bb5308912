package dev.counterpoint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.member.CardCodes;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import java.nio.file.Path;
import java.time.Clock;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.wiring.TerminalWiring;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One demo store of the default size, checked as a whole: counts, distributions, ledgers, outbox. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoStoreGeneratorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T06:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    private TerminalWiring ctx;
    private DemoStoreGenerator.Summary summary;
    private final List<int[]> progress = new ArrayList<>();

    @BeforeAll
    void generate(@TempDir Path dir) {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK);
        summary = ctx.demoStoreGenerator().generate(DemoStoreGenerator.DEFAULT_MEMBERS, (w, t) -> progress.add(new int[] {w, t}));
    }

    @AfterAll
    void close() {
        ctx.close();
    }

    private <T> T q(org.jdbi.v3.core.HandleCallback<T, RuntimeException> callback) {
        return ctx.database().jdbi().withHandle(callback);
    }

    private List<String> strings(String sql) {
        return q(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private long count(String sql) {
        return q(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void writesTheShowcaseAndTheRequestedMembersAndReportsProgressPerBatch() {
        int total = DemoStoreGenerator.DEFAULT_MEMBERS + Showcase.values().length;
        assertThat(summary.members()).isEqualTo(total);
        assertThat(count("SELECT COUNT(*) FROM member")).isEqualTo(total);
        assertThat(count("SELECT COUNT(*) FROM purchase")).isEqualTo(summary.purchases()).isGreaterThan(3000);
        assertThat(count("SELECT COUNT(*) FROM coupon")).isEqualTo(summary.coupons()).isGreaterThan(200);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE status = 'REDEEMED'")).isEqualTo(summary.couponsUsed());
        assertThat(count("SELECT COUNT(*) FROM sv_entry WHERE kind = 'TOPUP'")).isEqualTo(summary.topUps());
        assertThat(progress).extracting(p -> p[0]).containsExactly(100, 200, 300, 400, total);
        assertThat(progress).extracting(p -> p[1]).containsOnly(total);
        assertThat(count("SELECT COUNT(*) FROM member WHERE enrolled_via = 'DEMO'")).isEqualTo(total - 1);
        assertThat(count("SELECT COUNT(*) FROM purchase WHERE source <> 'DEMO'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM member WHERE phone_hmac IS NOT NULL AND phone_sealed IS NOT NULL"))
                .isEqualTo(count("SELECT COUNT(*) FROM member WHERE phone_hmac IS NOT NULL")).isPositive();
    }

    @Test
    void tiersFormAPyramidWithAllFourPresent() {
        Map<Tier, Long> tiers = new HashMap<>();
        q(h -> h.createQuery("SELECT tier, COUNT(*) AS n FROM member GROUP BY tier")
                .map((rs, c) -> tiers.put(Tier.valueOf(rs.getString("tier")), rs.getLong("n"))).list());
        assertThat(tiers).containsOnlyKeys(Tier.values());
        assertThat(tiers.get(Tier.NORMAL)).isGreaterThan(tiers.get(Tier.SILVER));
        assertThat(tiers.get(Tier.SILVER)).isGreaterThan(tiers.get(Tier.DIAMOND));
        assertThat(tiers.get(Tier.GOLD)).isGreaterThan(tiers.get(Tier.DIAMOND));
    }

    @Test
    void everyTierIsWhatTheRulesInForceGive() {
        RuleSet rules = q(h -> ctx.ruleSetRepository().active(h));
        OffsetDateTime yearAgo = OffsetDateTime.now(CLOCK).minusYears(1);
        List<Map<String, Object>> rows = q(h -> h.createQuery("""
                SELECT m.id, c.code, m.tier, COALESCE(SUM(p.total_fen), 0) AS spend
                FROM member m JOIN member_code c ON c.member_id = m.id
                LEFT JOIN purchase p ON p.member_id = m.id AND p.purchased_at >= :since
                GROUP BY m.id, c.code, m.tier""").bind("since", yearAgo).mapToMap().list());
        assertThat(rows).hasSize(summary.members()).allSatisfy(r ->
                assertThat(Tier.valueOf((String) r.get("tier"))).as((String) r.get("code"))
                        .isEqualTo(TierPolicy.qualifying(rules, ((Number) r.get("spend")).longValue())));
    }

    @Test
    void identitiesAreRealisticAndUnique() {
        List<String> cards = q(h -> h.createQuery("SELECT code FROM member_code").mapTo(String.class).list());
        assertThat(cards).doesNotHaveDuplicates().allSatisfy(c -> {
            assertThat(c).hasSize(13).startsWith("29");
            assertThat(CardCodes.withCheckDigit(c.substring(0, 12))).isEqualTo(c);
        });
        assertThat(count("SELECT COUNT(DISTINCT phone_hmac) FROM member")).isEqualTo(summary.members());
        assertThat(strings("SELECT phone_masked FROM member"))
                .allMatch(p -> p.matches("1[3-9]\\d\\*{4}\\d{4}"));
        List<String> names = q(h -> h.createQuery("SELECT display_name FROM member").mapTo(String.class).list());
        assertThat(names).allMatch(n -> n.codePointCount(0, n.length()) >= 2 && n.codePointCount(0, n.length()) <= 3);
        Map<String, Long> surnames = new HashMap<>();
        names.forEach(n -> surnames.merge(n.substring(0, 1), 1L, Long::sum));
        // The big three surnames lead, as in the census.
        assertThat(surnames.get("王") + surnames.get("李") + surnames.get("张")).isGreaterThan(summary.members() / 6);
        assertThat(surnames.get("王")).isGreaterThan(surnames.getOrDefault("吕", 0L));
    }

    @Test
    void birthdaysFallInEveryMonthAndMostMembersGaveOne() {
        List<Integer> months = q(h -> h.createQuery("SELECT DISTINCT MONTH(birthday) FROM member WHERE birthday IS NOT NULL")
                .mapTo(Integer.class).list());
        assertThat(months).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(count("SELECT COUNT(*) FROM member WHERE birthday IS NULL")).isBetween(1L, summary.members() / 5L);
    }

    @Test
    void historiesAreSkewedRegularsOccasionalsAndLapsed() {
        List<long[]> perMember = q(h -> h.createQuery("""
                SELECT COUNT(p.id) AS n, MAX(p.purchased_at) AS last FROM member m LEFT JOIN purchase p ON p.member_id = m.id
                GROUP BY m.id""").map((rs, c) -> {
                    OffsetDateTime last = rs.getObject("last", OffsetDateTime.class);
                    long daysAgo = last == null ? -1 : TODAY.toEpochDay() - last.atZoneSameInstant(CLOCK.getZone()).toLocalDate().toEpochDay();
                    return new long[] {rs.getLong("n"), daysAgo};
                }).list());
        long weeklyOrMore = perMember.stream().filter(m -> m[0] >= 40).count();
        long occasional = perMember.stream().filter(m -> m[0] >= 1 && m[0] < 20).count();
        long lapsed = perMember.stream().filter(m -> m[0] >= 10 && m[1] >= 35).count();
        long never = perMember.stream().filter(m -> m[0] == 0).count();
        assertThat(weeklyOrMore).isGreaterThan(20);
        assertThat(occasional).isGreaterThan(weeklyOrMore * 3);
        assertThat(lapsed).isGreaterThan(20);
        assertThat(never).isGreaterThan(5);
        assertThat(count("SELECT COUNT(*) FROM purchase p JOIN member m ON m.id = p.member_id WHERE p.purchased_at < m.enrolled_at"))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM sv_entry s JOIN member m ON m.id = s.member_id WHERE s.created_at < m.enrolled_at"))
                .isZero();
        // Everything happened in the year before today, never today or later.
        assertThat(q(h -> h.createQuery("SELECT MIN(purchased_at) FROM purchase").mapTo(OffsetDateTime.class).one())
                .atZoneSameInstant(CLOCK.getZone()).toLocalDate()).isAfterOrEqualTo(TODAY.minusDays(364));
        assertThat(q(h -> h.createQuery("SELECT MAX(purchased_at) FROM purchase").mapTo(OffsetDateTime.class).one())
                .atZoneSameInstant(CLOCK.getZone()).toLocalDate()).isBefore(TODAY);
    }

    @Test
    void skusHaveOneCategoryAndOnePriceAndLinesAddUpToTheTotal() {
        List<String> inconsistent = q(h -> h.createQuery("""
                SELECT sku FROM purchase_line GROUP BY sku
                HAVING COUNT(DISTINCT category) > 1 OR COUNT(DISTINCT amount_fen / qty) > 1""").mapTo(String.class).list());
        assertThat(inconsistent).isEmpty();
        assertThat(strings("SELECT DISTINCT category FROM purchase_line"))
                .containsExactlyInAnyOrder("咖啡", "茶饮", "面包", "蛋糕", "咖啡豆");
        assertThat(count("""
                SELECT COUNT(*) FROM purchase p
                WHERE p.total_fen <> (SELECT SUM(l.amount_fen) FROM purchase_line l WHERE l.purchase_id = p.id)""")).isZero();
        assertThat(count("SELECT COUNT(*) FROM purchase_line WHERE amount_fen <= 0 OR qty <= 0")).isZero();
    }

    @Test
    void everyPurchaseEarnsItsPointsAtTheMembersTierRate() {
        RuleSet rules = q(h -> ctx.ruleSetRepository().active(h));
        Map<UUID, Long> earnedByPurchase = new HashMap<>();
        q(h -> h.createQuery("SELECT ref_id, delta FROM points_entry WHERE kind = 'EARN'")
                .map((rs, c) -> earnedByPurchase.put(rs.getObject("ref_id", UUID.class), rs.getLong("delta"))).list());
        List<String> wrong = q(h -> h.createQuery("""
                SELECT p.id, p.receipt_no, p.total_fen, m.tier FROM purchase p JOIN member m ON m.id = p.member_id""")
                .map((rs, c) -> {
                    long expected = rules.pointsFor(rs.getLong("total_fen"), Tier.valueOf(rs.getString("tier")));
                    long actual = earnedByPurchase.getOrDefault(rs.getObject("id", UUID.class), 0L);
                    return expected == actual ? "" : rs.getString("receipt_no") + " " + expected + "≠" + actual;
                }).list()).stream().filter(s -> !s.isEmpty()).toList();
        assertThat(wrong).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE kind = 'EARN'"))
                .isEqualTo(count("SELECT COUNT(*) FROM purchase WHERE total_fen >= 100"));
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE kind NOT IN ('OPENING', 'EARN')")).isZero();
        // Lots outlive today: nothing should have expired yet, so no EXPIRE entries are owed.
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE lot_expires_on IS NULL OR lot_expires_on < DATE '2026-03-10'")).isZero();
    }

    @Test
    void balancesAreTheSumOfTheirEntriesAndNeverNegative() {
        List<UUID> ids = q(h -> h.createQuery("SELECT id FROM member").mapTo(UUID.class).list());
        long pointsTotal = 0;
        long svTotal = 0;
        for (UUID id : ids) {
            long points = q(h -> ctx.pointsLedger().balance(h, id));
            long sv = q(h -> ctx.storedValueLedger().balanceFen(h, id));
            assertThat(points).isNotNegative();
            assertThat(sv).isNotNegative();
            pointsTotal += points;
            svTotal += sv;
        }
        assertThat(pointsTotal).isEqualTo(count("SELECT SUM(delta) FROM points_entry")).isPositive();
        assertThat(svTotal).isEqualTo(count("SELECT SUM(delta_fen) FROM sv_entry")).isPositive();
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE delta <= 0")).isZero();
        assertThat(count("SELECT COUNT(*) FROM sv_entry WHERE delta_fen <= 0")).isZero();
        long svMembers = count("SELECT COUNT(DISTINCT member_id) FROM sv_entry");
        assertThat(svMembers).isBetween(summary.members() / 10L, summary.members() / 2L);
    }

    @Test
    void walletsHoldValidExpiringExpiredAndUsedCouponsFromTheTemplates() {
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE status = 'ISSUED' AND valid_until >= DATE '2026-03-10'")).isGreaterThan(10);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE status = 'ISSUED' AND valid_until BETWEEN DATE '2026-03-10' AND DATE '2026-03-13'"))
                .isPositive();
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE status = 'ISSUED' AND valid_until < DATE '2026-03-10'")).isGreaterThan(10);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE status = 'REDEEMED'")).isGreaterThan(10);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE member_id IS NULL")).isZero();
        assertThat(count("SELECT COUNT(*) FROM coupon c JOIN member m ON m.id = c.member_id WHERE c.issued_at < m.enrolled_at"))
                .isZero();
        assertThat(strings("SELECT DISTINCT template_id FROM coupon"))
                .containsExactlyInAnyOrder("WELCOME", "BIRTHDAY", "WIN_BACK", "GOLD_PERK");
        // Gold perks only for Gold and Diamond; used coupons were used inside their dates on a big enough basket.
        assertThat(count("""
                SELECT COUNT(*) FROM coupon c JOIN member m ON m.id = c.member_id
                WHERE c.template_id = 'GOLD_PERK' AND m.tier NOT IN ('GOLD', 'DIAMOND')""")).isZero();
        assertThat(count("SELECT COUNT(*) FROM coupon_redemption")).isEqualTo(summary.couponsUsed());
        assertThat(count("""
                SELECT COUNT(*) FROM coupon_redemption r JOIN coupon c ON c.id = r.coupon_id
                JOIN coupon_template t ON t.id = c.template_id
                WHERE c.status <> 'REDEEMED' OR r.basket_fen < t.min_spend_fen OR r.redeemed_at < c.issued_at
                   OR CAST(r.redeemed_at AS DATE) > c.valid_until OR r.member_id <> c.member_id""")).isZero();
    }

    @Test
    void everyActionHasExactlyOneOutboxEvent() {
        Map<String, Long> byType = new HashMap<>();
        q(h -> h.createQuery("SELECT type, COUNT(*) AS n FROM outbox_event GROUP BY type")
                .map((rs, c) -> byType.put(rs.getString("type"), rs.getLong("n"))).list());
        assertThat(byType).containsOnly(
                Map.entry("member.imported", (long) summary.members() - 1),
                Map.entry("member.enrolled", 1L),
                Map.entry("purchase.imported", (long) summary.purchases()),
                Map.entry("coupon.issued", (long) summary.coupons()),
                Map.entry("coupon.redeemed", (long) summary.couponsUsed()),
                Map.entry("stored_value.topped_up", (long) summary.topUps()),
                Map.entry("tier.reviewed", count("SELECT COUNT(*) FROM tier_event WHERE reason = 'REVIEW_KEPT'")));
        // An occasion offer taken at the counter was issued by its trigger at that visit and redeemed there (decision 0016).
        long takenAtCounter = count("SELECT COUNT(*) FROM coupon WHERE issued_by LIKE 'trigger:%'");
        assertThat(takenAtCounter).isPositive();
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE issued_by LIKE 'trigger:%' AND status <> 'REDEEMED'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE type = 'coupon.redeemed' AND payload NOT LIKE '%\"reason\":\"WALLET\"%'"))
                .isEqualTo(takenAtCounter);
        assertThat(count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(summary.events());
        assertThat(count("SELECT COUNT(DISTINCT hlc) FROM outbox_event")).isEqualTo(summary.events());
    }

    @Test
    void eventsCarryWhatHeadOfficeNeedsToReplayTheStore() throws Exception {
        String card = Showcase.VIP.cardCode();
        UUID vip = q(h -> h.createQuery("SELECT member_id FROM member_code WHERE code = :c").bind("c", card).mapTo(UUID.class).one());
        List<JsonNode> events = new ArrayList<>();
        for (String payload : q(h -> h.createQuery("SELECT payload FROM outbox_event WHERE aggregate_id = :m ORDER BY terminal_seq")
                .bind("m", vip).mapTo(String.class).list())) {
            events.add(ctx.json().readTree(payload));
        }
        JsonNode imported = events.get(0);
        assertThat(imported.get("source").asText()).isEqualTo("DEMO");
        assertThat(imported.get("card_code").asText()).isEqualTo(card);
        assertThat(imported.get("opening_points").asLong()).isEqualTo(5000);
        assertThat(imported.get("opening_stored_value_fen").asLong()).isEqualTo(80_000);
        // The importer's member.imported keys, so head office reads demo and imported members alike.
        assertThat(imported.get("points_entry_id").isTextual()).isTrue();
        assertThat(imported.get("sv_entry_id").isTextual()).isTrue();
        JsonNode purchase = events.stream().filter(e -> e.has("purchase_id")).findFirst().orElseThrow();
        assertThat(purchase.get("card_code").asText()).isEqualTo(card);
        assertThat(purchase.get("source").asText()).isEqualTo("DEMO");
        assertThat(purchase.get("receipt_no").asText()).startsWith("S001-DEMO-");
        long earnedInEvents = events.stream().filter(e -> e.has("points_earned")).mapToLong(e -> e.get("points_earned").asLong()).sum();
        long openingPoints = imported.get("opening_points").asLong();
        assertThat(openingPoints + earnedInEvents).isEqualTo(q(h -> ctx.pointsLedger().balance(h, vip)));
        assertThat(events).filteredOn(e -> e.has("coupon_code") && e.has("issued_by"))
                .extracting(e -> e.get("coupon_code").asText())
                .containsExactly(Showcase.VIP_USED_COUPON, Showcase.VIP_COUPON);
    }

    @Test
    void refusesAStoreThatAlreadyHasMembersAndWritesNothing() {
        long members = count("SELECT COUNT(*) FROM member");
        long events = count("SELECT COUNT(*) FROM outbox_event");
        assertThatThrownBy(() -> ctx.demoStoreGenerator().generate(10, (w, t) -> { }))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> {
                    assertThat(e.userMessage().key()).isEqualTo("demo.error.notEmpty");
                    assertThat(e.userMessage().args()).containsExactly(members);
                });
        assertThat(count("SELECT COUNT(*) FROM member")).isEqualTo(members);
        assertThat(count("SELECT COUNT(*) FROM outbox_event")).isEqualTo(events);
    }
}
