package dev.counterpoint.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The panel's reads (decision 0080): a member with nothing due costs four statements, the rule set and the coupon
 * templates come from memory, and a new rule set or template — put in force here, or arriving as the feed applies
 * it, through a repository of its own — is what the next scan shows.
 */
class MemberPanelReadsTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(LocalDate.of(2026, 3, 10).atTime(10, 0).atZone(ZONE).toInstant(), ZONE);
    TerminalWiring ctx;
    Member member;

    @BeforeEach
    void setUp() {
        ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock);
        member = ctx.memberService().enrol("赵敏", "13600001234", null);
        ctx.checkoutService().recordSale(member.id(), 20_000L, List.of());
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    @Test
    void aScanWithNothingDueReadsFourStatementsAndNeitherRulesNorTemplates() {
        summary(); // the first scan issues the welcome coupon and reads the rules and templates once
        summary();
        List<String> selects = new ArrayList<>();
        MemberSummary s = scanLogging(selects);
        assertThat(s.recentPurchases()).hasSize(1);
        assertThat(selects).hasSize(4);
        assertThat(selects).noneMatch(sql -> sql.contains("FROM rule_set WHERE") || sql.contains("FROM coupon_template"));
    }

    @Test
    void aVoidedCheckoutIsReadAsVoidedWithinTheSameFourStatements() {
        var manager = ctx.staffAccounts().addFirst("lin", "林店长", dev.counterpoint.protocol.StaffRole.MANAGER, "246810");
        clock.advance(java.time.Duration.ofMinutes(5));
        CheckoutReceipt sale = ctx.checkouts().complete(new CheckoutRequest(member.id(), 5_000L, List.of(),
                CheckoutRequest.CouponChoice.NONE, 0, 0), manager);
        ctx.refunds().voidCheckout(sale.receiptNo(), manager, manager);
        summary();
        List<String> selects = new ArrayList<>();
        MemberSummary s = scanLogging(selects);
        assertThat(s.recentPurchases()).extracting(p -> p.receiptNo() + " " + p.refundedFen() + " " + p.voided())
                .containsExactly(sale.receiptNo() + " 5000 true", "S001-T1-000001 0 false");
        assertThat(selects).hasSize(4);
    }

    /** The member scanned by card, each statement the scan ran put in {@code selects}. */
    private MemberSummary scanLogging(List<String> selects) {
        ctx.database().jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext c) {
                selects.add(c.getParsedSql().getSql());
            }
        });
        try {
            return ctx.memberSummaryService().byCode(member.cardCode()).orElseThrow();
        } finally {
            ctx.database().jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
        }
    }

    @Test
    void aRuleSetPutInForceHereIsWhatTheNextScanShows() {
        assertThat(summary().tierProgress().threshold()).isEqualTo(100_000);

        ctx.ruleSetService().putInForce(withSilverAt(ctx.ruleSetService().active(), 3, 50_000), "test");

        assertThat(summary().tierProgress().threshold()).isEqualTo(50_000);
    }

    @Test
    void aRuleSetWrittenByAnotherRepositoryAsTheFeedDoesIsWhatTheNextScanShows() {
        assertThat(summary().tierProgress().threshold()).isEqualTo(100_000);
        RuleSetRepository feeds = new RuleSetRepository(new ObjectMapper());

        ctx.database().jdbi().useTransaction(h -> feeds.insert(h,
                withSilverAt(ctx.ruleSetService().active(), 4, 70_000), OffsetDateTime.now(clock)));

        assertThat(summary().tierProgress().threshold()).isEqualTo(70_000);
        assertThat(summary().member().tier()).isEqualTo(Tier.NORMAL);
    }

    @Test
    void aTemplatePublishedAgainThroughTheFeedIsWhatTheNextScanShows() {
        Coupon c = ctx.couponService().issueManual(member.id(), "BEANS_10", "li");
        assertThat(suggestionFor(c).template().nameEn()).isEqualTo(template("BEANS_10").nameEn());
        CouponRepository feeds = new CouponRepository();
        CouponTemplate renamed = rename(template("BEANS_10"), "Beans, renamed at head office");

        ctx.database().jdbi().useTransaction(h -> feeds.saveTemplate(h, renamed, true));

        assertThat(suggestionFor(c).template().nameEn()).isEqualTo("Beans, renamed at head office");
    }

    @Test
    void aCouponOfATemplateThatArrivedWithItIsShownWithThatTemplate() {
        summary(); // templates now in memory
        CouponRepository feeds = new CouponRepository();
        CouponTemplate spring = rename(template("BEANS_10"), "Spring, from head office");
        CouponTemplate published = new CouponTemplate("HQ_SPRING", CouponTemplate.Trigger.MANUAL, null,
                spring.discountKind(), spring.amountOffFen(), spring.percentOff(), spring.maxOffFen(), spring.minSpendFen(),
                spring.validDays(), "春季", spring.nameEn(), null, null, null);
        LocalDate today = LocalDate.now(clock);

        ctx.database().jdbi().useTransaction(h -> {
            feeds.saveTemplate(h, published, true);
            feeds.insert(h, new Coupon(java.util.UUID.randomUUID(), "HQSPRING1", member.id(), published, today,
                    today.plusDays(10), Coupon.Status.ISSUED, OffsetDateTime.now(clock), "head-office"));
        });

        assertThat(summary().suggestions()).filteredOn(s -> "HQSPRING1".equals(s.couponCode()))
                .singleElement().extracting(s -> s.template().nameEn()).isEqualTo("Spring, from head office");
    }

    private MemberSummary summary() {
        return ctx.memberSummaryService().byCode(member.cardCode()).orElseThrow();
    }

    private Suggestion suggestionFor(Coupon c) {
        return summary().suggestions().stream().filter(s -> c.code().equals(s.couponCode())).findFirst().orElseThrow();
    }

    private CouponTemplate template(String id) {
        return ctx.database().jdbi().withHandle(h -> ctx.couponRepository().template(h, id)).orElseThrow();
    }

    private static CouponTemplate rename(CouponTemplate t, String nameEn) {
        return new CouponTemplate(t.id(), t.trigger(), t.tier(), t.discountKind(), t.amountOffFen(), t.percentOff(),
                t.maxOffFen(), t.minSpendFen(), t.validDays(), t.nameZh(), nameEn, t.category(), t.validFrom(),
                t.validUntil(), t.perMemberLimit());
    }

    private RuleSet withSilverAt(RuleSet inForce, int version, long silver) {
        RuleSetRepository repo = ctx.ruleSetRepository();
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode tree = (ObjectNode) json.readTree(repo.toJson(inForce));
            tree.put("version", version);
            ((ObjectNode) tree.get("tierThresholds")).put("SILVER", silver);
            return repo.parse(json.writeValueAsString(tree)).ruleSet();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
