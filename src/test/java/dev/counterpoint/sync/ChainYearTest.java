package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OwnerApi;
import dev.counterpoint.office.TierReviews;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A year of one chain: head office and three stores, time moved by one injected clock. A regular shops at S001 every
 * week; another member reached Gold at S001 and then stopped coming. After the review date, S002 and S003 see both
 * for the first time: every counter and head office agree on tier, balances, wallet, history and last visit, no store
 * lowers a tier from its own part of the year, and the regular is never treated as lapsed.
 */
class ChainYearTest {
    private static final Instant START = Instant.parse("2025-12-01T02:00:00Z"); // 10:00 in Shanghai

    @TempDir
    Path tmp;

    @Test
    void aYearOfShoppingAtOneStoreIsTheSameMemberAtEveryCounterAndAtHeadOffice() {
        TestClock clock = new TestClock(START, OfficeHarness.ZONE);
        try (OfficeHarness office = new OfficeHarness(OfficeDatabase.of(OfficeHarness.h2DataSource()), 8, clock)) {
            TerminalWiring s1 = office.terminal(tmp.resolve("s1"), "S001", "T1", clock);
            TerminalWiring s2 = office.terminal(tmp.resolve("s2"), "S002", "T1", clock);
            TerminalWiring s3 = office.terminal(tmp.resolve("s3"), "S003", "T1", clock);
            List<TerminalWiring> stores = List.of(s1, s2, s3);
            TierReviews reviews = office.server.tierReviews();

            Member regular = s1.memberService().enrol("林晓", "13812345678", null);
            Member lapsed = s1.memberService().enrol("周宁", "13900001111", null);
            for (int i = 0; i < 4; i++) {
                s1.checkoutService().recordSale(lapsed.id(), null, List.of(new PurchaseLine("BEAN-1", "咖啡豆", 1, 90_000)));
                clock.advance(Duration.ofHours(2));
            }
            assertThat(tierAt(s1, lapsed)).isEqualTo(Tier.GOLD);
            syncAll(stores);

            // Every week of the year, ¥100 at S001; head office reviews whenever a review date's grace has passed.
            LocalDate lastSale = null;
            for (int week = 1; week <= 56; week++) {
                clock.set(START.plus(Duration.ofDays(7L * week)));
                s1.checkoutService().recordSale(regular.id(), null, List.of(
                        new PurchaseLine("LATTE", "咖啡", 2, 6_000), new PurchaseLine("BEAN-2", "咖啡豆", 1, 4_000)));
                lastSale = LocalDate.ofInstant(clock.instant(), OfficeHarness.ZONE);
                OfficeSyncContract.engine(s1).syncOnce();
                if (week % 4 == 0) {
                    syncAll(stores);
                }
                reviews.run();
            }
            assertThat(lastSale).isEqualTo(LocalDate.of(2026, 12, 28));
            assertThat(tierAt(s1, regular)).isEqualTo(Tier.GOLD);

            // 2 January 2027: the review date has passed. S001 shows the lapsed member; it never lowers a tier itself.
            clock.set(Instant.parse("2027-01-02T02:00:00Z"));
            s1.memberSummaryService().byId(lapsed.id()).orElseThrow();
            assertThat(tierAt(s1, lapsed)).isEqualTo(Tier.GOLD);
            assertThat(reviews.run().reviewed()).as("head office waits for the stores' sales").isZero();

            // 4 January: head office reviews from the whole chain's year.
            clock.set(Instant.parse("2027-01-04T02:00:00Z"));
            syncAll(stores);
            TierReviews.Pass pass = reviews.run();
            assertThat(pass.reviewDate()).isEqualTo(LocalDate.of(2027, 1, 1));
            assertThat(pass.lowered()).isEqualTo(1);
            syncAll(stores);

            // 5 January: S003 sees the regular while it cannot reach head office: the tier stands all the same.
            clock.set(Instant.parse("2027-01-05T02:00:00Z"));
            MemberSummary offlineAtS3 = s3.memberSummaryService().byId(regular.id()).orElseThrow();
            assertThat(offlineAtS3.member().tier()).isEqualTo(Tier.GOLD);
            assertThat(offlineAtS3.recentPurchases()).isEmpty();

            // S002 sees both for the first time, online: their history comes from head office first.
            assertThat(OfficeSyncContract.engine(s2).fetchHistory(regular.id())).isTrue();
            assertThat(OfficeSyncContract.engine(s2).fetchHistory(lapsed.id())).isTrue();
            assertThat(OfficeSyncContract.engine(s2).fetchHistory(regular.id())).as("asked once").isFalse();
            assertThat(OfficeSyncContract.engine(s3).fetchHistory(regular.id())).isTrue();
            assertThat(OfficeSyncContract.engine(s3).fetchHistory(lapsed.id())).isTrue();
            for (TerminalWiring s : stores) {
                s.memberSummaryService().byId(regular.id()).orElseThrow();
                s.memberSummaryService().byId(lapsed.id()).orElseThrow();
            }
            syncAll(stores);
            syncAll(stores);

            OwnerApi owner = new OwnerApi(office.jdbi(), clock, office.json, office.server.phoneBoxes());
            for (Member m : List.of(regular, lapsed)) {
                Seen atS1 = seen(s1, m);
                for (TerminalWiring s : List.of(s2, s3)) {
                    assertThat(seen(s, m)).as("%s at %s", m.displayName(), s.config().storeId()).isEqualTo(atS1);
                }
                Map<String, Object> atOffice = owner.memberByCard(m.cardCode()).orElseThrow();
                assertThat(atOffice.get("tier")).isEqualTo(atS1.tier().name());
                assertThat(atOffice.get("points")).isEqualTo(atS1.points());
                assertThat(atOffice.get("stored_value_fen")).isEqualTo(atS1.storedValueFen());
                assertThat(OffsetDateTime.parse((String) atOffice.get("last_purchase_at"))
                        .atZoneSameInstant(OfficeHarness.ZONE).toLocalDate()).isEqualTo(atS1.lastVisit());
            }
            Seen r = seen(s1, regular);
            assertThat(r.tier()).isEqualTo(Tier.GOLD);
            assertThat(r.lastVisit()).isEqualTo(lastSale);
            assertThat(r.history()).as("90 days of weekly visits, each with its store").hasSizeGreaterThanOrEqualTo(12)
                    .allSatisfy(p -> assertThat(p).endsWith("@S001"));
            assertThat(r.suggestions()).noneMatch(s -> s.startsWith(ReasonCode.WIN_BACK.name()));
            assertThat(r.wallet()).noneMatch(c -> c.contains("WIN_BACK"));
            assertThat(seen(s1, lapsed).tier()).isEqualTo(Tier.NORMAL);
            // No store sent a downgrade: the only lowering was head office's.
            for (TerminalWiring s : stores) {
                assertThat(s.database().queryLong(
                        "SELECT COUNT(*) FROM outbox_event WHERE type = 'tier.reviewed' AND payload LIKE '%REVIEW_DOWNGRADE%'"))
                        .isZero();
            }
        }
    }

    /** What a counter shows of a member, in a form two stores can be compared by. */
    record Seen(Tier tier, long points, long storedValueFen, List<String> wallet, List<String> history,
                LocalDate lastVisit, List<String> suggestions) {
    }

    private static Seen seen(TerminalWiring s, Member m) {
        MemberSummary sum = s.memberSummaryService().byId(m.id()).orElseThrow();
        List<String> wallet = s.database().jdbi().withHandle(h -> s.couponRepository().wallet(h, m.id())).stream()
                .map(c -> c.code() + ":" + c.template().id() + ":" + c.status()).sorted().toList();
        List<String> history = sum.recentPurchases().stream().map(ChainYearTest::purchase).toList();
        List<String> suggestions = sum.suggestions().stream().map(ChainYearTest::suggestion).toList();
        return new Seen(sum.member().tier(), sum.points(), sum.storedValueFen(), wallet, history,
                sum.lastVisit().orElse(null), suggestions);
    }

    private static String purchase(Purchase p) {
        return p.id() + ":" + p.totalFen() + ":" + p.lines().size() + "@" + p.storeId();
    }

    private static String suggestion(Suggestion s) {
        return s.reason().name() + ":" + (s.couponCode() == null ? s.points() : s.couponCode());
    }

    private static Tier tierAt(TerminalWiring s, Member m) {
        return s.memberService().findByCode(m.cardCode()).orElseThrow().tier();
    }

    private static void syncAll(List<TerminalWiring> stores) {
        for (TerminalWiring s : stores) {
            OfficeSyncContract.engine(s).syncOnce();
        }
    }
}
