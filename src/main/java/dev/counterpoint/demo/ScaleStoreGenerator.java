package dev.counterpoint.demo;

import dev.counterpoint.coupon.CouponRepository;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.demo.MemberPlan.PlannedCoupon;
import dev.counterpoint.demo.MemberPlan.TopUp;
import dev.counterpoint.demo.MemberPlan.Visit;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.NewMember;
import dev.counterpoint.member.Phones;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.store.FixtureMark;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Fills an empty store with a large, realistic member base for benchmarks: the same planned members as the
 * demo ({@link DemoPlanner}: habits from regulars to lapsed, all tiers from the rule set's thresholds, wallets,
 * birthdays all year) with visits thinned towards a purchase count and weighted by season.
 *
 * <p>Rows go in as plain JDBC batches, one transaction per {@link #CHUNK} members, while a second thread plans
 * the next chunk; the loaded tables' indexes and constraints are off meanwhile and built afterwards ({@link LoadIndexes}). Unlike the demo it writes no outbox events: a scale store is a benchmark fixture, never
 * synced (decision 0026); it marks the database so ({@link FixtureMark}), and register and sync refuse it.
 */
public final class ScaleStoreGenerator {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScaleStoreGenerator.class);
    static final int CHUNK = 2_000;
    /** Members planned up front to learn how many visits an unthinned member has. */
    static final int SAMPLE = 2_000;
    /** Every table the load writes, as H2 names them. */
    static final List<String> LOADED_TABLES = List.of("MEMBER", "MEMBER_CODE", "POINTS_ENTRY", "SV_ENTRY", "TIER_EVENT",
            "PURCHASE", "PURCHASE_LINE", "COUPON", "COUPON_REDEMPTION", "MEMBER_NAME_GRAM");

    /** Told after each committed chunk; {@code rows} counts every row written so far. */
    @FunctionalInterface
    public interface Progress {
        void written(int members, int total, long rows, long purchases);

        /** Told once every row is written, before the {@code count} indexes and constraints are built. */
        default void indexing(int count) {
        }
    }

    public record Summary(int members, long purchases, long lines, long coupons, long rows, long nanos) {
        public long rowsPerSecond() {
            return nanos == 0 ? 0 : rows * 1_000_000_000L / nanos;
        }
    }

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final CouponRepository coupons;
    private final RuleSetRepository rules;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;

    public ScaleStoreGenerator(Jdbi jdbi, MemberRepository members, CouponRepository coupons, RuleSetRepository rules,
                               Hlc hlc, Clock clock, String storeId, String terminalId) {
        this.jdbi = jdbi;
        this.members = members;
        this.coupons = coupons;
        this.rules = rules;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
    }

    /**
     * Writes {@code memberCount} generated members with about {@code purchases} purchases between them (fewer
     * when the members' habits give fewer: visits are only ever thinned). Refuses, writing nothing, unless the
     * store holds no members but the demo's showcase ones.
     */
    public Summary generate(int memberCount, long purchases, Progress progress) {
        if (memberCount <= 0 || purchases < 0) {
            throw new IllegalArgumentException("members must be positive and purchases not negative");
        }
        long started = System.nanoTime();
        long startedCpu = processCpuNanos();
        Setup setup = jdbi.withHandle(h -> {
            long existing = h.createQuery("SELECT COUNT(*) FROM member_code WHERE code NOT IN (<showcase>)")
                    .bindList("showcase", java.util.Arrays.stream(Showcase.values()).map(Showcase::cardCode).toList())
                    .mapTo(Long.class).one();
            if (existing > 0) {
                throw new BusinessRuleException("demo.error.notEmpty", existing);
            }
            FixtureMark.markScaleData(h, OffsetDateTime.now(clock));
            Map<CouponTemplate.Trigger, CouponTemplate> byTrigger = new EnumMap<>(CouponTemplate.Trigger.class);
            List<CouponTemplate> templates = coupons.templates(h);
            templates.forEach(t -> byTrigger.putIfAbsent(t.trigger(), t));
            return new Setup(rules.active(h), byTrigger,
                    templates.stream().collect(Collectors.toMap(CouponTemplate::id, Function.identity())));
        });
        LocalDate today = LocalDate.now(clock);
        DemoPlanner full = new DemoPlanner(today, clock.getZone(), setup.triggers(), storeId, setup.rules());
        double share = visitShare(full, memberCount, purchases);
        DemoPlanner planner = new DemoPlanner(today, clock.getZone(), setup.triggers(), storeId, setup.rules(), share);

        BlockingQueue<List<MemberPlan>> planned = new ArrayBlockingQueue<>(2);
        Thread planning = new Thread(() -> plan(planner, memberCount, planned), "scale-planner");
        planning.setDaemon(true);
        planning.start();
        Writer writer = new Writer(setup, TierPolicy.lastReviewDate(setup.rules(), today));
        int done = 0;
        // Every parent row is written in the same or an earlier batch, so checking each foreign key on insert
        // (an index probe per row) buys nothing here; H2's setting is database-wide and is restored below.
        jdbi.useHandle(h -> h.execute("SET REFERENTIAL_INTEGRITY FALSE"));
        LoadIndexes indexes = jdbi.withHandle(h -> LoadIndexes.drop(h, LOADED_TABLES));
        try {
            while (done < memberCount) {
                List<MemberPlan> chunk = planned.take();
                if (chunk.isEmpty()) {
                    throw new IllegalStateException("the planning thread failed; see the log");
                }
                try {
                    jdbi.useTransaction(h -> writer.write(h, chunk));
                } catch (SQLException e) {
                    throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
                }
                done += chunk.size();
                progress.written(done, memberCount, writer.rows, writer.purchases);
            }
            LOG.info("{} rows loaded in {} ms ({} ms CPU)", writer.rows, (System.nanoTime() - started) / 1_000_000,
                    (processCpuNanos() - startedCpu) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted after " + done + " members", e);
        } finally {
            planning.interrupt();
            progress.indexing(indexes.count());
            long building = System.nanoTime();
            long buildingCpu = processCpuNanos();
            jdbi.useHandle(h -> {
                indexes.restore(h);
                h.execute("SET REFERENTIAL_INTEGRITY TRUE");
            });
            LOG.info("{} indexes and constraints built in {} ms ({} ms CPU)", indexes.count(),
                    (System.nanoTime() - building) / 1_000_000, (processCpuNanos() - buildingCpu) / 1_000_000);
        }
        return new Summary(done, writer.purchases, writer.lines, writer.coupons, writer.rows, System.nanoTime() - started);
    }

    /** CPU time of the whole process (every thread, GC included), logged beside wall times: the machine is often shared. */
    static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /** The share of planned visits to keep so that the members have about {@code purchases} between them. */
    static double visitShare(DemoPlanner full, int memberCount, long purchases) {
        int sample = Math.min(SAMPLE, memberCount);
        long visits = 0;
        for (int i = 0; i < sample; i++) {
            visits += full.member(i).visits().size();
        }
        double natural = (double) visits / sample * memberCount;
        return natural <= purchases ? 1.0 : Math.max(1e-6, purchases / natural);
    }

    private static void plan(DemoPlanner planner, int memberCount, BlockingQueue<List<MemberPlan>> out) {
        try {
            for (int from = 0; from < memberCount; from += CHUNK) {
                int to = Math.min(memberCount, from + CHUNK);
                List<MemberPlan> chunk = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    chunk.add(planner.member(i));
                }
                out.put(chunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("planning scale data failed", e);
            out.offer(List.of());
        }
    }

    private record Setup(RuleSet rules, Map<CouponTemplate.Trigger, CouponTemplate> triggers,
                         Map<String, CouponTemplate> templatesById) {
    }

    /** One prepared statement per table, batched; only touched by the writing thread. */
    private final class Writer {
        private final Setup setup;
        private final LocalDate reviewDate;
        long rows;
        long purchases;
        long lines;
        long coupons;

        Writer(Setup setup, LocalDate reviewDate) {
            this.setup = setup;
            this.reviewDate = reviewDate;
        }

        void write(Handle h, List<MemberPlan> chunk) throws SQLException {
            Connection c = h.getConnection();
            try (Statements s = new Statements(c)) {
                for (MemberPlan plan : chunk) {
                    member(s, plan);
                }
                rows += s.execute();
            }
        }

        private void member(Statements s, MemberPlan plan) throws SQLException {
            NewMember m = plan.member();
            String phone = m.normalisedPhone();
            UUID id = m.id();
            String nameSearch = m.displayName().toLowerCase(Locale.ROOT);
            s.member.setObject(1, id);
            s.member.setString(2, m.displayName());
            s.member.setString(3, nameSearch);
            s.member.setString(4, members.phoneHmac(phone));
            s.member.setString(5, phone == null ? null : Phones.mask(phone));
            s.member.setString(6, phone == null ? null : Phones.last4(phone));
            s.member.setObject(7, m.birthday());
            s.member.setString(8, m.tier().name());
            s.member.setString(9, m.homeStore());
            s.member.setObject(10, utc(m.enrolledAt()));
            s.member.setString(11, m.source().name());
            s.member.setLong(12, hlc.now());
            s.member.addBatch();
            s.code.setString(1, m.cardCode());
            s.code.setObject(2, id);
            s.code.addBatch();
            for (String gram : MemberRepository.nameGrams(nameSearch)) {
                s.gram.setString(1, gram);
                s.gram.setString(2, nameSearch);
                s.gram.setObject(3, id);
                s.gram.addBatch();
            }
            if (plan.openingPoints() > 0) {
                points(s, id, plan.openingPoints(), "OPENING", plan.openingPointsExpireOn(), null, plan.openedAt());
            }
            if (plan.openingStoredValueFen() > 0) {
                storedValue(s, id, plan.openingStoredValueFen(), "OPENING", plan.openedAt());
            }
            if (m.enrolledAt().atZoneSameInstant(clock.getZone()).toLocalDate().isBefore(reviewDate)) {
                OffsetDateTime at = reviewDate.atStartOfDay(clock.getZone()).toOffsetDateTime();
                s.tier.setObject(1, Ids.next());
                s.tier.setObject(2, id);
                s.tier.setString(3, m.tier().name());
                s.tier.setString(4, m.tier().name());
                s.tier.setLong(5, plan.tierFigure());
                s.tier.setInt(6, setup.rules().version());
                s.tier.setObject(7, at.toLocalDate());
                s.tier.setObject(8, utc(at));
                s.tier.setLong(9, hlc.now());
                s.tier.addBatch();
            }
            for (TopUp t : plan.topUps()) {
                storedValue(s, id, t.amountFen(), "TOPUP", t.at());
            }
            RuleSet ruleSet = setup.rules();
            for (Visit v : plan.visits()) {
                UUID purchaseId = Ids.next();
                purchases++;
                s.purchase.setObject(1, purchaseId);
                s.purchase.setObject(2, id);
                s.purchase.setString(3, receiptNo(purchases));
                s.purchase.setObject(4, utc(v.at()));
                s.purchase.setLong(5, v.totalFen());
                s.purchase.setString(6, "DEMO");
                s.purchase.setString(7, storeId);
                s.purchase.setString(8, terminalId);
                s.purchase.addBatch();
                int no = 1;
                for (PurchaseLine line : v.lines()) {
                    s.line.setObject(1, purchaseId);
                    s.line.setInt(2, no++);
                    s.line.setString(3, line.sku());
                    s.line.setString(4, line.category());
                    s.line.setInt(5, line.qty());
                    s.line.setLong(6, line.amountFen());
                    s.line.addBatch();
                    lines++;
                }
                long earned = ruleSet.pointsFor(v.totalFen(), m.tier());
                if (earned > 0) {
                    points(s, id, earned, "EARN", v.at().toLocalDate().plusDays(ruleSet.pointsLifetimeDays()), purchaseId,
                            v.at());
                }
            }
            for (PlannedCoupon planned : plan.coupons()) {
                coupon(s, id, planned, setup.templatesById().get(planned.templateId()));
            }
        }

        private void coupon(Statements s, UUID memberId, PlannedCoupon planned, CouponTemplate t) throws SQLException {
            UUID couponId = Ids.next();
            Visit used = planned.usedOn();
            s.coupon.setObject(1, couponId);
            s.coupon.setString(2, planned.code());
            s.coupon.setObject(3, memberId);
            s.coupon.setString(4, t.id());
            s.coupon.setObject(5, planned.validFrom());
            s.coupon.setObject(6, planned.validUntil());
            s.coupon.setString(7, used == null ? "ISSUED" : "REDEEMED");
            s.coupon.setObject(8, utc(planned.issuedAt()));
            s.coupon.setString(9, planned.issuedBy());
            s.coupon.addBatch();
            coupons++;
            if (used != null) {
                s.redemption.setObject(1, Ids.next());
                s.redemption.setObject(2, couponId);
                s.redemption.setObject(3, memberId);
                s.redemption.setLong(4, used.totalFen());
                s.redemption.setLong(5, t.discountFor(used.totalFen()));
                s.redemption.setString(6, terminalId);
                s.redemption.setObject(7, utc(used.at()));
                s.redemption.setLong(8, hlc.now());
                s.redemption.addBatch();
            }
        }

        private void points(Statements s, UUID memberId, long delta, String kind, LocalDate expires, UUID ref,
                            OffsetDateTime at) throws SQLException {
            s.points.setObject(1, Ids.next());
            s.points.setObject(2, memberId);
            s.points.setLong(3, delta);
            s.points.setString(4, kind);
            s.points.setObject(5, expires);
            s.points.setObject(6, ref);
            s.points.setObject(7, utc(at));
            s.points.setLong(8, hlc.now());
            s.points.addBatch();
        }

        private void storedValue(Statements s, UUID memberId, long fen, String kind, OffsetDateTime at) throws SQLException {
            s.sv.setObject(1, Ids.next());
            s.sv.setObject(2, memberId);
            s.sv.setLong(3, fen);
            s.sv.setString(4, kind);
            s.sv.setObject(5, utc(at));
            s.sv.setLong(6, hlc.now());
            s.sv.addBatch();
        }
    }

    /** {@code STORE-SCALE-000000042}; String.format per purchase cost more than the rest of the purchase's Java. */
    private String receiptNo(long n) {
        String digits = Long.toString(n);
        StringBuilder sb = new StringBuilder(storeId.length() + 16).append(storeId).append("-SCALE-");
        for (int i = digits.length(); i < 9; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** The chunk's statements, in an order that satisfies the foreign keys when executed. */
    private static final class Statements implements AutoCloseable {
        final PreparedStatement member;
        final PreparedStatement code;
        final PreparedStatement gram;
        final PreparedStatement points;
        final PreparedStatement sv;
        final PreparedStatement tier;
        final PreparedStatement purchase;
        final PreparedStatement line;
        final PreparedStatement coupon;
        final PreparedStatement redemption;
        private final List<PreparedStatement> all;

        Statements(Connection c) throws SQLException {
            member = c.prepareStatement("""
                    INSERT INTO member(id, display_name, name_search, phone_hmac, phone_masked, phone_last4, birthday, tier,
                                       home_store, enrolled_at, enrolled_via, updated_hlc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""");
            code = c.prepareStatement("INSERT INTO member_code(code, member_id, kind) VALUES (?, ?, 'CARD')");
            gram = c.prepareStatement("INSERT INTO member_name_gram(gram, name_search, member_id) VALUES (?, ?, ?)");
            points = c.prepareStatement("""
                    INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc)
                    VALUES (?,?,?,?,?,?,?,?)""");
            sv = c.prepareStatement("INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc) VALUES (?,?,?,?,NULL,?,?)");
            tier = c.prepareStatement("""
                    INSERT INTO tier_event(id, member_id, from_tier, to_tier, reason, figure, rule_set_version, effective_on,
                                           created_at, hlc) VALUES (?,?,?,?,'REVIEW_KEPT',?,?,?,?,?)""");
            purchase = c.prepareStatement("""
                    INSERT INTO purchase(id, member_id, receipt_no, purchased_at, total_fen, source, store_id, terminal_id)
                    VALUES (?,?,?,?,?,?,?,?)""");
            line = c.prepareStatement("""
                    INSERT INTO purchase_line(purchase_id, line_no, sku, category, qty, amount_fen) VALUES (?,?,?,?,?,?)""");
            coupon = c.prepareStatement("""
                    INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, status, issued_at, issued_by)
                    VALUES (?,?,?,?,?,?,?,?,?)""");
            redemption = c.prepareStatement("""
                    INSERT INTO coupon_redemption(id, coupon_id, member_id, basket_fen, discount_fen, terminal_id, redeemed_at, hlc)
                    VALUES (?,?,?,?,?,?,?,?)""");
            all = List.of(member, code, gram, points, sv, tier, purchase, line, coupon, redemption);
        }

        /** Runs every batch; returns the rows written. */
        long execute() throws SQLException {
            long rows = 0;
            for (PreparedStatement p : all) {
                for (int n : p.executeBatch()) {
                    rows += Math.max(n, 0);
                }
            }
            return rows;
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement p : all) {
                p.close();
            }
        }
    }
}
