package dev.counterpoint.demo;

import dev.counterpoint.wiring.TerminalWiring;
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
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
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
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The benchmarks' large store ({@code BenchStore}): fills an empty store with a large, realistic member base: the same
 * planned members as the demo ({@link DemoPlanner}: habits from regulars to lapsed, all tiers from the rule set's
 * thresholds, wallets, birthdays all year) with visits thinned towards a purchase count and weighted by season. It
 * lives in the test sources, beside the demo's planner it shares, and is no part of the product (decision 0075).
 *
 * <p>Rows go in as plain JDBC batches, one transaction per {@link #CHUNK} members, while a second thread plans
 * the next chunk. The loaded tables' indexes and constraints are off meanwhile ({@link LoadIndexes}), and the load
 * makes {@link Pass passes} over the members, a few tables each, so that one pass's tables get their indexes built
 * (on a third thread) while the next pass loads: H2 builds one index at a time, and the build takes longer than the
 * load. Unlike the demo it writes no outbox events: the store is a benchmark fixture that the benchmarks never register
 * with a head office (decision 0075).
 */
public final class ScaleStoreGenerator {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScaleStoreGenerator.class);
    static final int CHUNK = 2_000;
    /** Members planned up front to learn how many visits an unthinned member has. */
    static final int SAMPLE = 2_000;

    /**
     * The load's passes, in order, and the tables (as H2 names them) each writes. Every member is planned again for
     * each pass (planning is a fifth of a pass); a foreign key's target table is loaded in the same pass or an
     * earlier one. The index builds, one after another, take longer than the load and start only once the first
     * pass is written, so the first pass is the smallest.
     */
    public enum Pass {
        MEMBERS("MEMBER", "MEMBER_CODE"),
        PURCHASES("PURCHASE"),
        LINES("PURCHASE_LINE"),
        /** Points, stored value and tier reviews, coupons, and the name pieces the search uses. */
        LEDGERS("POINTS_ENTRY", "SV_ENTRY", "TIER_EVENT", "COUPON", "COUPON_REDEMPTION", "MEMBER_NAME_GRAM");

        private final List<String> tables;

        Pass(String... tables) {
            this.tables = List.of(tables);
        }

        List<String> tables() {
            return tables;
        }
    }

    /** Every table the load writes. */
    static final List<String> LOADED_TABLES = java.util.Arrays.stream(Pass.values()).flatMap(p -> p.tables().stream())
            .toList();

    /** Told after each committed chunk; {@code rows} counts every row written so far, in every pass. */
    @FunctionalInterface
    public interface Progress {
        void written(Pass pass, int members, int total, long rows);

        /** Told once every row is written, while the last {@code left} indexes and constraints are still to build. */
        default void finishing(int left) {
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

    /** Over an opened store, with its repositories, clocks and ids. */
    public static ScaleStoreGenerator of(TerminalWiring ctx) {
        return new ScaleStoreGenerator(ctx.database().jdbi(), ctx.memberRepository(), ctx.couponRepository(),
                ctx.ruleSetRepository(), ctx.hlc(), ctx.clock(), ctx.config().storeId(), ctx.config().terminalId());
    }

    ScaleStoreGenerator(Jdbi jdbi, MemberRepository members, CouponRepository coupons, RuleSetRepository rules,
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
            Map<CouponTemplate.Trigger, CouponTemplate> byTrigger = new EnumMap<>(CouponTemplate.Trigger.class);
            List<CouponTemplate> templates = coupons.templates(h);
            templates.forEach(t -> byTrigger.putIfAbsent(t.trigger(), t));
            return new Setup(rules.active(h), byTrigger,
                    templates.stream().collect(Collectors.toMap(CouponTemplate::id, Function.identity())));
        });
        LocalDate today = LocalDate.now(clock);
        DemoPlanner full = new DemoPlanner(today, clock.getZone(), setup.triggers(), storeId, setup.rules());
        double share = visitShare(full, memberCount, purchases);
        DemoPlanner planner = new DemoPlanner(today, clock.getZone(), setup.triggers(), storeId, setup.rules(),
                new SeasonalThinning(share));

        BlockingQueue<List<MemberPlan>> planned = new ArrayBlockingQueue<>(2);
        Thread planning = new Thread(() -> plan(planner, memberCount, planned), "scale-planner");
        planning.setDaemon(true);
        planning.start();
        Writer writer = new Writer(setup, TierPolicy.lastReviewDate(setup.rules(), today), memberCount);
        // Every parent row is written in the same or an earlier batch, so checking each foreign key on insert
        // (an index probe per row) buys nothing here; H2's setting is database-wide and is restored below.
        jdbi.useHandle(h -> h.execute("SET REFERENTIAL_INTEGRITY FALSE"));
        LoadIndexes indexes = jdbi.withHandle(h -> LoadIndexes.drop(h, LOADED_TABLES));
        LoadIndexes.Builder building = indexes.buildInBackground(jdbi);
        RuntimeException failed = null;
        try {
            for (Pass pass : Pass.values()) {
                long passStarted = System.nanoTime();
                long passCpu = processCpuNanos();
                long rowsBefore = writer.rows;
                for (int done = 0; done < memberCount; ) {
                    List<MemberPlan> chunk = planned.take();
                    if (chunk.isEmpty()) {
                        throw new IllegalStateException("the planning thread failed; see the log");
                    }
                    int from = done;
                    try {
                        jdbi.useTransaction(h -> writer.write(h, pass, from, chunk));
                    } catch (SQLException e) {
                        throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
                    }
                    done += chunk.size();
                    progress.written(pass, done, memberCount, writer.rows);
                }
                writer.endPass(pass);
                building.check();
                building.loaded(pass.tables());
                LOG.info("pass {}: {} rows loaded in {} ms ({} ms CPU, index builds alongside)", pass,
                        writer.rows - rowsBefore, (System.nanoTime() - passStarted) / 1_000_000,
                        (processCpuNanos() - passCpu) / 1_000_000);
            }
            LOG.info("{} rows loaded in {} ms ({} ms CPU)", writer.rows, (System.nanoTime() - started) / 1_000_000,
                    (processCpuNanos() - startedCpu) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = new IllegalStateException("interrupted after " + writer.rows + " rows", e);
            throw failed;
        } catch (RuntimeException e) {
            failed = e;
            throw e;
        } finally {
            planning.interrupt();
            progress.finishing(building.left());
            long finishing = System.nanoTime();
            long finishingCpu = processCpuNanos();
            try {
                // whole or not, the load's rows get their indexes back
                building.finish(LOADED_TABLES);
                jdbi.useHandle(h -> h.execute("SET REFERENTIAL_INTEGRITY TRUE"));
            } catch (RuntimeException e) {
                if (failed == null) {
                    throw e;
                }
                failed.addSuppressed(e);
            }
            LOG.info("indexes and constraints built ({} left off), the last ones in {} ms after the load ({} ms CPU)",
                    building.left(), (System.nanoTime() - finishing) / 1_000_000,
                    (processCpuNanos() - finishingCpu) / 1_000_000);
        }
        return new Summary(memberCount, writer.purchases, writer.lines, writer.coupons, writer.rows,
                System.nanoTime() - started);
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

    /**
     * Keeps each planned visit with about the visit share's probability, more in busy months and fewer in quiet ones;
     * at share 1 the visits are returned untouched. Draws from the member's thinning stream ({@link DemoPlanner.Thinning}).
     */
    static final class SeasonalThinning implements DemoPlanner.Thinning {
        /**
         * How busy each month is relative to the year (a café-bakery: the new year, the Spring Festival and December
         * are busy, high summer is quiet).
         */
        private static final double[] SEASON = {1.15, 1.2, 0.95, 0.95, 1.0, 0.9, 0.85, 0.85, 0.95, 1.05, 1.0, 1.25};
        private static final double SEASON_MEAN = java.util.Arrays.stream(SEASON).average().orElseThrow();
        private final double visitShare;

        SeasonalThinning(double visitShare) {
            if (!(visitShare > 0 && visitShare <= 1)) {
                throw new IllegalArgumentException("visit share must be in (0, 1]: " + visitShare);
            }
            this.visitShare = visitShare;
        }

        @Override
        public List<Visit> keep(long index, List<Visit> visits) {
            if (visitShare >= 1 || visits.isEmpty()) {
                return visits;
            }
            RandomGenerator r = DemoPlanner.random(-1 - index);
            List<Visit> kept = new ArrayList<>(visits.size());
            for (Visit v : visits) {
                double keep = visitShare * SEASON[v.at().getMonthValue() - 1] / SEASON_MEAN;
                if (r.nextDouble() < keep) {
                    kept.add(v);
                }
            }
            return List.copyOf(kept);
        }
    }

    /** The members in chunks, once for each pass: the plans are too big to keep (ten visits a member, say). */
    private static void plan(DemoPlanner planner, int memberCount, BlockingQueue<List<MemberPlan>> out) {
        try {
            for (int pass = 0; pass < Pass.values().length; pass++) {
                for (int from = 0; from < memberCount; from += CHUNK) {
                    int to = Math.min(memberCount, from + CHUNK);
                    List<MemberPlan> chunk = new ArrayList<>(to - from);
                    for (int i = from; i < to; i++) {
                        chunk.add(planner.member(i));
                    }
                    out.put(chunk);
                }
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
        /** Written by the members pass, by member number, for the passes after it. */
        private final UUID[] memberIds;
        /** Written by the purchases pass in visit order; the later passes walk it in the same order. */
        private final UuidColumn purchaseIds = new UuidColumn();
        private long nextPurchase;
        long rows;
        long purchases;
        long lines;
        long coupons;

        Writer(Setup setup, LocalDate reviewDate, int memberCount) {
            this.setup = setup;
            this.reviewDate = reviewDate;
            this.memberIds = new UUID[memberCount];
        }

        /** Writes {@code pass}'s rows of the members numbered from {@code from}. */
        void write(Handle h, Pass pass, int from, List<MemberPlan> chunk) throws SQLException {
            try (Statements s = new Statements(h.getConnection(), pass)) {
                for (int i = 0; i < chunk.size(); i++) {
                    MemberPlan plan = chunk.get(i);
                    switch (pass) {
                        case MEMBERS -> {
                            memberIds[from + i] = plan.member().id();
                            member(s, plan);
                        }
                        case PURCHASES -> purchases(s, memberIds[from + i], plan);
                        case LINES -> lines(s, plan);
                        case LEDGERS -> ledgers(s, memberIds[from + i], plan);
                    }
                }
                rows += s.execute();
            }
        }

        /** The later passes plan the members again: the same visits must come out, one for each purchase written. */
        void endPass(Pass pass) {
            if ((pass == Pass.LINES || pass == Pass.LEDGERS) && nextPurchase != purchaseIds.size()) {
                throw new IllegalStateException("pass " + pass + " planned " + nextPurchase + " visits for "
                        + purchaseIds.size() + " purchases");
            }
            nextPurchase = 0; // the next pass walks the purchases from the first again
        }

        private void member(Statements s, MemberPlan plan) throws SQLException {
            NewMember m = plan.member();
            String phone = m.normalisedPhone();
            UUID id = m.id();
            s.member.setObject(1, id);
            s.member.setString(2, m.displayName());
            s.member.setString(3, nameSearch(m));
            s.member.setString(4, members.phoneHmac(phone));
            // Sealed like any store's phones, though a fixture never registers: 1-2 s per million members here (under
            // 1 % of the load) and its rows stay as large as a real store's (decision 0038).
            s.member.setBytes(5, members.sealPhone(id, phone));
            s.member.setString(6, phone == null ? null : Phones.mask(phone));
            s.member.setString(7, phone == null ? null : Phones.last4(phone));
            s.member.setObject(8, m.birthday());
            s.member.setString(9, m.tier().name());
            s.member.setString(10, m.homeStore());
            s.member.setObject(11, utc(m.enrolledAt()));
            s.member.setString(12, m.source().name());
            s.member.setLong(13, hlc.now());
            s.member.addBatch();
            s.code.setString(1, m.cardCode());
            s.code.setObject(2, id);
            s.code.addBatch();
        }

        private void purchases(Statements s, UUID memberId, MemberPlan plan) throws SQLException {
            for (Visit v : plan.visits()) {
                UUID purchaseId = Ids.next();
                purchaseIds.add(purchaseId);
                purchases++;
                s.purchase.setObject(1, purchaseId);
                s.purchase.setObject(2, memberId);
                s.purchase.setString(3, receiptNo(purchases));
                s.purchase.setObject(4, utc(v.at()));
                s.purchase.setLong(5, v.totalFen());
                s.purchase.setString(6, "DEMO");
                s.purchase.setString(7, storeId);
                s.purchase.setString(8, terminalId);
                s.purchase.addBatch();
            }
        }

        private void lines(Statements s, MemberPlan plan) throws SQLException {
            for (Visit v : plan.visits()) {
                UUID purchaseId = purchaseIds.get(nextPurchase++);
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
            }
        }

        private void ledgers(Statements s, UUID id, MemberPlan plan) throws SQLException {
            NewMember m = plan.member();
            String nameSearch = nameSearch(m);
            for (String gram : MemberRepository.nameGrams(nameSearch)) {
                s.gram.setString(1, gram);
                s.gram.setString(2, nameSearch);
                s.gram.setObject(3, id);
                s.gram.addBatch();
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
            for (PlannedCoupon planned : plan.coupons()) {
                coupon(s, id, planned, setup.templatesById().get(planned.templateId()));
            }
            if (plan.openingPoints() > 0) {
                points(s, id, plan.openingPoints(), "OPENING", plan.openingPointsExpireOn(), null, plan.openedAt());
            }
            RuleSet ruleSet = setup.rules();
            Tier tier = m.tier();
            for (Visit v : plan.visits()) {
                UUID purchaseId = purchaseIds.get(nextPurchase++);
                long earned = ruleSet.pointsFor(v.totalFen(), tier);
                if (earned > 0) {
                    points(s, id, earned, "EARN", v.at().toLocalDate().plusDays(ruleSet.pointsLifetimeDays()),
                            purchaseId, v.at());
                }
            }
        }

        private static String nameSearch(NewMember m) {
            return m.displayName().toLowerCase(Locale.ROOT);
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

    /** {@code STORE-SCALE-000000042}. */
    private String receiptNo(long n) {
        return storeId + "-SCALE-" + DemoIdentities.digits(n, 9);
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * A pass's statements (the others stay null: a table being indexed is not touched), in an order that satisfies
     * the foreign keys when executed.
     */
    private static final class Statements implements AutoCloseable {
        final PreparedStatement member;
        final PreparedStatement code;
        final PreparedStatement purchase;
        final PreparedStatement line;
        final PreparedStatement gram;
        final PreparedStatement sv;
        final PreparedStatement tier;
        final PreparedStatement coupon;
        final PreparedStatement redemption;
        final PreparedStatement points;
        private final List<PreparedStatement> all = new ArrayList<>();

        Statements(Connection c, Pass pass) throws SQLException {
            boolean members = pass == Pass.MEMBERS;
            boolean ledgers = pass == Pass.LEDGERS;
            member = prepare(c, members, """
                    INSERT INTO member(id, display_name, name_search, phone_hmac, phone_sealed, phone_masked, phone_last4,
                                       birthday, tier, home_store, enrolled_at, enrolled_via, updated_hlc)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""");
            code = prepare(c, members, "INSERT INTO member_code(code, member_id, kind) VALUES (?, ?, 'CARD')");
            purchase = prepare(c, pass == Pass.PURCHASES, """
                    INSERT INTO purchase(id, member_id, receipt_no, purchased_at, total_fen, source, store_id, terminal_id)
                    VALUES (?,?,?,?,?,?,?,?)""");
            line = prepare(c, pass == Pass.LINES, """
                    INSERT INTO purchase_line(purchase_id, line_no, sku, category, qty, amount_fen) VALUES (?,?,?,?,?,?)""");
            gram = prepare(c, ledgers, "INSERT INTO member_name_gram(gram, name_search, member_id) VALUES (?, ?, ?)");
            sv = prepare(c, ledgers,
                    "INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc) VALUES (?,?,?,?,NULL,?,?)");
            tier = prepare(c, ledgers, """
                    INSERT INTO tier_event(id, member_id, from_tier, to_tier, reason, figure, rule_set_version, effective_on,
                                           created_at, hlc) VALUES (?,?,?,?,'REVIEW_KEPT',?,?,?,?,?)""");
            coupon = prepare(c, ledgers, """
                    INSERT INTO coupon(id, code, member_id, template_id, valid_from, valid_until, status, issued_at, issued_by)
                    VALUES (?,?,?,?,?,?,?,?,?)""");
            redemption = prepare(c, ledgers, """
                    INSERT INTO coupon_redemption(id, coupon_id, member_id, basket_fen, discount_fen, terminal_id, redeemed_at, hlc)
                    VALUES (?,?,?,?,?,?,?,?)""");
            points = prepare(c, ledgers, """
                    INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc)
                    VALUES (?,?,?,?,?,?,?,?)""");
        }

        private PreparedStatement prepare(Connection c, boolean inPass, String sql) throws SQLException {
            if (!inPass) {
                return null;
            }
            PreparedStatement p = c.prepareStatement(sql);
            all.add(p);
            return p;
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

    /** UUIDs appended and read back by position, as pairs of longs in blocks: ten million purchases take 160 MB. */
    static final class UuidColumn {
        private static final int BLOCK = 1 << 20;
        private final List<long[]> blocks = new ArrayList<>();
        private long size;

        void add(UUID id) {
            int at = (int) (size % BLOCK);
            if (at == 0) {
                blocks.add(new long[2 * BLOCK]);
            }
            long[] block = blocks.get(blocks.size() - 1);
            block[2 * at] = id.getMostSignificantBits();
            block[2 * at + 1] = id.getLeastSignificantBits();
            size++;
        }

        UUID get(long index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("no id " + index + " of " + size);
            }
            long[] block = blocks.get((int) (index / BLOCK));
            int at = (int) (index % BLOCK);
            return new UUID(block[2 * at], block[2 * at + 1]);
        }

        long size() {
            return size;
        }
    }
}
