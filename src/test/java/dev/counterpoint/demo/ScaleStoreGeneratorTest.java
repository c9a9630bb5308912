package dev.counterpoint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.store.Database;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A small scale store (the showcase plus 3,000 bulk members) checked as a whole. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleStoreGeneratorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T06:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private static final int MEMBERS = 3_000;
    private static final long PURCHASES = 30_000;

    private TerminalWiring ctx;
    private ScaleStoreGenerator.Summary summary;
    private final List<String> progress = new ArrayList<>();

    @BeforeAll
    void generate(@TempDir Path dir) {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, CLOCK);
        ctx.demoStoreGenerator().generate(0, (w, t) -> { });
        summary = ScaleStoreGenerator.of(ctx).generate(MEMBERS, PURCHASES, (pass, m, t, rows) -> progress.add(pass + " " + m));
    }

    @AfterAll
    void close() {
        ctx.close();
    }

    private long count(String sql) {
        return ctx.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void writesTheMembersAndAboutThePurchasesAskedFor() {
        assertThat(summary.members()).isEqualTo(MEMBERS);
        assertThat(count("SELECT COUNT(*) FROM member")).isEqualTo(MEMBERS + Showcase.values().length);
        assertThat(count("SELECT COUNT(*) FROM purchase WHERE receipt_no LIKE '%-SCALE-%'")).isEqualTo(summary.purchases());
        assertThat(summary.purchases()).isBetween(PURCHASES * 85 / 100, PURCHASES * 115 / 100);
        assertThat(count("SELECT COUNT(*) FROM purchase_line")).isGreaterThan(summary.purchases());
        // each pass goes over every member, chunk by chunk, in the passes' order
        assertThat(progress).containsExactly("MEMBERS 2000", "MEMBERS 3000", "PURCHASES 2000", "PURCHASES 3000",
                "LINES 2000", "LINES 3000", "LEDGERS 2000", "LEDGERS 3000");
        // phones sealed as at any store (decision 0038), though a fixture never registers
        assertThat(count("SELECT COUNT(*) FROM member WHERE phone_hmac IS NOT NULL AND OCTET_LENGTH(phone_sealed) = "
                + dev.counterpoint.member.PhoneSeal.SEALED_LENGTH)).isEqualTo(count("SELECT COUNT(*) FROM member WHERE phone_hmac IS NOT NULL"))
                .isPositive();
    }

    @Test
    void theStoreLooksLikeARealOne() {
        assertThat(count("SELECT COUNT(DISTINCT m.tier) FROM member m JOIN member_code c ON c.member_id = m.id "
                + "WHERE c.code NOT LIKE '29000000000%'")).isEqualTo(4);
        assertThat(count("SELECT COUNT(DISTINCT MONTH(birthday)) FROM member")).isEqualTo(12);
        assertThat(count("SELECT COUNT(*) FROM coupon WHERE status = 'ISSUED'")).isPositive();
        assertThat(count("SELECT COUNT(*) FROM coupon_redemption")).isEqualTo(count("SELECT COUNT(*) FROM coupon WHERE status = 'REDEEMED'"));
        // lapsed: bought within the year but not in the last 35 days
        assertThat(count("""
                SELECT COUNT(*) FROM (SELECT member_id FROM purchase GROUP BY member_id
                HAVING MAX(purchased_at) < TIMESTAMP WITH TIME ZONE '2026-02-03 00:00:00+08')""")).isGreaterThan(MEMBERS / 20);
        // seasonal: December, the busiest month, outsells July, the quietest, per day
        assertThat(count("SELECT COUNT(*) FROM purchase WHERE MONTH(purchased_at) = 12") * 100 / 31)
                .isGreaterThan(count("SELECT COUNT(*) FROM purchase WHERE MONTH(purchased_at) = 7") * 115 / 31);
    }

    @Test
    void everyTierIsWhatTheStoredPurchasesGiveUnderTheRules() {
        RuleSet rules = ctx.database().jdbi().withHandle(h -> ctx.ruleSetRepository().active(h));
        OffsetDateTime yearAgo = OffsetDateTime.now(CLOCK).minusYears(1);
        List<Map<String, Object>> rows = ctx.database().jdbi().withHandle(h -> h.createQuery("""
                SELECT c.code, m.tier, COALESCE(SUM(p.total_fen), 0) AS spend
                FROM member m JOIN member_code c ON c.member_id = m.id
                LEFT JOIN purchase p ON p.member_id = m.id AND p.purchased_at >= :since
                GROUP BY m.id, c.code, m.tier""").bind("since", yearAgo).mapToMap().list());
        assertThat(rows).hasSize(MEMBERS + Showcase.values().length).allSatisfy(r ->
                assertThat(Tier.valueOf((String) r.get("tier"))).as((String) r.get("code"))
                        .isEqualTo(TierPolicy.qualifying(rules, ((Number) r.get("spend")).longValue())));
    }

    @Test
    void bigSpendersReachGoldAndAFewDiamond() {
        String generated = "SELECT COUNT(*) FROM member m JOIN member_code c ON c.member_id = m.id "
                + "WHERE c.code NOT LIKE '29000000000%' AND m.tier = ";
        // a pyramid: 0.1-0.5 % Diamond, a few percent Gold, Silver well below Normal
        assertThat(count(generated + "'DIAMOND'")).isBetween(MEMBERS / 1000L, MEMBERS * 5 / 1000L);
        assertThat(count(generated + "'GOLD'")).isBetween(MEMBERS / 100L, MEMBERS * 6 / 100L);
        assertThat(count(generated + "'SILVER'")).isBetween(MEMBERS * 5 / 100L, MEMBERS * 25 / 100L);
    }

    @Test
    void thePassesAgreeOnEveryPurchase() {
        // purchases, their lines and the points they earned are written in separate passes over the members
        assertThat(count("SELECT COUNT(*) FROM purchase_line l LEFT JOIN purchase p ON p.id = l.purchase_id "
                + "WHERE p.id IS NULL")).isZero();
        assertThat(count("""
                SELECT COUNT(*) FROM purchase p WHERE p.total_fen IS DISTINCT FROM
                (SELECT SUM(l.amount_fen) FROM purchase_line l WHERE l.purchase_id = p.id)""")).isZero();
        assertThat(count("""
                SELECT COUNT(*) FROM points_entry e LEFT JOIN purchase p
                  ON p.id = e.ref_id AND p.member_id = e.member_id AND p.purchased_at = e.created_at
                WHERE e.kind = 'EARN' AND p.id IS NULL""")).isZero();
        assertThat(count("SELECT COUNT(*) FROM points_entry WHERE kind = 'EARN'")).isGreaterThan(summary.purchases() / 2);
    }

    @Test
    void putsBackEveryIndexItTookOffForTheLoad() {
        // the indexes the load dropped are back: name search and pieces, phone lookups, card codes, coupon codes
        assertThat(count("""
                SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'PUBLIC' AND INDEX_NAME IN
                ('MEMBER_NAME_PAGE', 'MEMBER_PHONE_HMAC', 'MEMBER_LAST4_PAGE', 'MEMBER_BY_ID_PAGE', 'MEMBER_CODE_BY_CODE',
                 'MEMBER_CODE_CARD')""")).isEqualTo(6);
        assertThat(count("""
                SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = 'PUBLIC'
                AND (TABLE_NAME, CONSTRAINT_TYPE) IN (('MEMBER_CODE', 'PRIMARY KEY'), ('COUPON', 'UNIQUE'),
                ('MEMBER_NAME_GRAM', 'PRIMARY KEY'), ('MEMBER_NAME_GRAM', 'FOREIGN KEY'))""")).isEqualTo(4);
        String code = DemoIdentities.card(17);
        assertThatThrownBy(() -> ctx.database().jdbi().useHandle(h -> h.execute(
                "INSERT INTO member_code(code, member_id, kind) SELECT code, member_id, kind FROM member_code WHERE code = ?", code)))
                .hasMessageContaining("Unique index or primary key violation");
    }

    @Test
    void theRebuiltSchemaIsTheMigratedOne() {
        Database migrated = Database.inMemory("scale-schema-" + System.nanoTime());
        try {
            assertThat(schema(ctx.database())).isEqualTo(schema(migrated)).hasSizeGreaterThan(40);
        } finally {
            migrated.close();
        }
    }

    /** Every index and constraint as its table, kind, columns and target; the generated names H2 numbers aside. */
    private static List<String> schema(Database db) {
        return db.jdbi().withHandle(h -> {
            List<String> all = new ArrayList<>(h.createQuery("""
                    SELECT i.TABLE_NAME || ' ' || i.INDEX_TYPE_NAME || ' ' || CASE WHEN i.IS_GENERATED THEN '' ELSE i.INDEX_NAME END
                           || ' (' || LISTAGG(c.COLUMN_NAME || ' ' || c.ORDERING_SPECIFICATION, ', ') WITHIN GROUP (ORDER BY c.ORDINAL_POSITION) || ')'
                    FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c
                      ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME
                    WHERE i.TABLE_SCHEMA = 'PUBLIC' AND i.TABLE_NAME <> 'flyway_schema_history'
                    GROUP BY i.TABLE_NAME, i.INDEX_TYPE_NAME, i.IS_GENERATED, i.INDEX_NAME""").mapTo(String.class).list());
            all.addAll(h.createQuery("""
                    SELECT tc.TABLE_NAME || ' ' || tc.CONSTRAINT_TYPE || ' ('
                           || LISTAGG(k.COLUMN_NAME, ', ') WITHIN GROUP (ORDER BY k.ORDINAL_POSITION) || ') '
                           || COALESCE((SELECT u.TABLE_NAME || ' ' || rc.UPDATE_RULE || ' ' || rc.DELETE_RULE
                                        FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS rc
                                        JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS u ON u.CONSTRAINT_NAME = rc.UNIQUE_CONSTRAINT_NAME
                                        WHERE rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME), '')
                    FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k
                      ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
                    WHERE tc.TABLE_SCHEMA = 'PUBLIC' AND tc.TABLE_NAME <> 'flyway_schema_history'
                    GROUP BY tc.TABLE_NAME, tc.CONSTRAINT_TYPE, tc.CONSTRAINT_NAME""").mapTo(String.class).list());
            all.sort(null);
            return all;
        });
    }

    @Test
    void everyGeneratedNameHasThePiecesEnrolmentWouldWrite() {
        Map<String, java.util.Set<String>> expected = new java.util.HashMap<>();
        Map<String, java.util.Set<String>> stored = new java.util.HashMap<>();
        ctx.database().jdbi().useHandle(h -> {
            h.createQuery("SELECT id, name_search FROM member").map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> expected.put(e.getKey(), MemberRepository.nameGrams(e.getValue())));
            h.createQuery("SELECT member_id, gram FROM member_name_gram").map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> stored.computeIfAbsent(e.getKey(), k -> new java.util.HashSet<>()).add(e.getValue()));
        });
        assertThat(expected).hasSize(MEMBERS + Showcase.values().length);
        assertThat(stored).isEqualTo(expected);
        assertThat(count("SELECT COUNT(*) FROM member WHERE name_search <> LOWER(display_name)")).isZero();
        assertThat(count("SELECT COUNT(*) FROM member_name_gram g JOIN member m ON m.id = g.member_id "
                + "WHERE g.name_search <> m.name_search")).isZero();
    }

    @Test
    void writesNoOutboxEventsAndLeavesForeignKeysCheckedAgain() {
        long showcaseEvents = count("SELECT COUNT(*) FROM outbox_event");
        assertThat(count("SELECT COUNT(*) FROM outbox_event WHERE aggregate_id IN (SELECT m.id FROM member m "
                + "JOIN member_code c ON c.member_id = m.id WHERE c.code NOT LIKE '29000000000%')")).isZero();
        assertThat(showcaseEvents).isPositive();
        assertThatThrownBy(() -> ctx.database().jdbi().useHandle(h -> h.execute(
                "INSERT INTO member_code(code, member_id, kind) VALUES ('X1', RANDOM_UUID(), 'CARD')")))
                .hasMessageContaining("Referential integrity");
    }

    @Test
    void aGeneratedMemberShowsOnTheCounter() {
        String code = DemoIdentities.card(17);
        MemberSummary s = ctx.memberSummaryService().byCode(code).orElseThrow();
        assertThat(s.member().cardCode()).isEqualTo(code);
        String name = s.member().displayName();
        // Found by the end of its name too: the generator indexes name pieces in bulk.
        assertThat(ctx.memberService().search(name.substring(name.length() - 2))).contains(s.member());
    }

    @Test
    void refusesAStoreThatAlreadyHasGeneratedMembers() {
        assertThatThrownBy(() -> ScaleStoreGenerator.of(ctx).generate(10, 10, (pass, m, t, r) -> { }))
                .isInstanceOf(BusinessRuleException.class);
    }
}
