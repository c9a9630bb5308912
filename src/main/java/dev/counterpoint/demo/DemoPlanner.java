package dev.counterpoint.demo;

import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponTemplate;
import dev.counterpoint.demo.DemoCatalog.Taste;
import dev.counterpoint.demo.MemberPlan.PlannedCoupon;
import dev.counterpoint.demo.MemberPlan.TopUp;
import dev.counterpoint.demo.MemberPlan.Visit;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.NewMember;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.TierPolicy;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.store.Ids;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

/**
 * Plans demo members in memory: pure apart from fresh ids, and deterministic for a given day.
 * Each member draws from its own random stream seeded by its index, so any member can be planned
 * alone, in any order or in parallel, and always comes out the same.
 */
final class DemoPlanner {
    static final long SEED = 0x5EED_C0FFEEL;
    /** Streams below this one decide who buys for an office, one per member; no other stream comes near. */
    private static final long OFFICE_STREAM = -(1L << 40);
    /** Purchases reach back a year: what tiers, tags and favourites look at. */
    static final int HISTORY_DAYS = 365;
    /** The demo store moved to Counterpoint this many days ago; balances from before arrive as opening entries. */
    static final int MIGRATED_DAYS_AGO = 240;

    private static final int OPENS = 7 * 60 + 30;
    private static final int CLOSES = 20 * 60 + 30;
    private static final LocalTime ISSUE_TIME = LocalTime.of(7, 0); // before opening: a coupon is usable all its first day

    enum Habit { REGULAR, OCCASIONAL, RARE, LAPSED, NEVER, OFFICE }

    private static final int[] HABIT_WEIGHTS = {14, 48, 16, 16, 6};
    /**
     * Per thousand members, the ones who buy rounds for their office: the big spenders who reach Gold and,
     * the keenest of them, Diamond. Drawn from a stream of their own so every other member plans as before.
     */
    static final int OFFICE_PER_MILLE = 50;

    private final LocalDate today;
    private final ZoneId zone;
    private final Map<CouponTemplate.Trigger, CouponTemplate> templates;
    private final String storeId;
    private final RuleSet rules;
    private final Thinning thinning;

    /**
     * Which of a member's planned visits the store holds, decided before the tier is worked out. The demo keeps them
     * all; the benchmarks' large store thins them towards a purchase count (decision 0075). A thinning that draws
     * at random uses the member's stream {@code -1 - index} of {@link #random}, which no other choice comes near, so
     * the member's other choices come out as unthinned.
     */
    @FunctionalInterface
    interface Thinning {
        Thinning NONE = (index, visits) -> visits;

        List<Visit> keep(long index, List<Visit> visits);
    }

    DemoPlanner(LocalDate today, ZoneId zone, Map<CouponTemplate.Trigger, CouponTemplate> templates, String storeId,
                RuleSet rules) {
        this(today, zone, templates, storeId, rules, Thinning.NONE);
    }

    DemoPlanner(LocalDate today, ZoneId zone, Map<CouponTemplate.Trigger, CouponTemplate> templates, String storeId,
                RuleSet rules, Thinning thinning) {
        this.thinning = thinning;
        this.rules = rules;
        this.today = today;
        this.zone = zone;
        this.templates = templates;
        this.storeId = storeId;
    }

    LocalDate windowStart() {
        return today.minusDays(HISTORY_DAYS - 1L);
    }

    LocalDate migratedOn() {
        return today.minusDays(MIGRATED_DAYS_AGO);
    }

    /**
     * The tier the rule set in force gives for the year of visits (all visits lie within the last 12 months).
     * With a points basis the figure is the points the spend earns at the base rate: the demo's members have
     * no tier history to earn at higher rates with.
     */
    Tier tierFor(List<Visit> visits) {
        return TierPolicy.qualifying(rules, tierFigure(visits));
    }

    long tierFigure(List<Visit> visits) {
        long spend = visits.stream().mapToLong(Visit::totalFen).sum();
        return rules.tierBasis() == TierBasis.SPEND ? spend : rules.pointsFor(spend, Tier.NORMAL);
    }

    /**
     * Stream {@code stream}'s generator. The seed is hashed: SplittableRandom steps its seed by a fixed
     * gamma, so seeds an equal step apart would give the same numbers shifted by one member.
     */
    static RandomGenerator random(long stream) {
        long z = SEED ^ (stream * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    /** The {@code index}-th generated member (0-based); its random stream never meets a showcase member's. */
    MemberPlan member(long index) {
        RandomGenerator r = random(DemoIdentities.RESERVED + index);
        Habit habit = Habit.values()[DemoCatalog.weighted(HABIT_WEIGHTS, r)];
        if (random(OFFICE_STREAM - index).nextInt(1000) < OFFICE_PER_MILLE) {
            habit = Habit.OFFICE;
        }
        LocalDate enrolled = enrolmentDay(r);
        OffsetDateTime enrolledAt = at(enrolled, 10 * 60 + r.nextInt(9 * 60));
        LocalDate birthday = r.nextInt(100) < 92 ? birthday(r) : null;
        Taste taste = DemoCatalog.randomTaste(r);
        int usualMinute = OPENS + r.nextInt(CLOSES - OPENS);
        // From the day after joining, so nothing is bought or given before the member exists.
        LocalDate start = later(enrolled.plusDays(1), windowStart());
        LocalDate yesterday = today.minusDays(1);
        List<Visit> visits = switch (habit) {
            case REGULAR -> every(start, yesterday, 4 + r.nextInt(6), taste, usualMinute, r);
            case OCCASIONAL -> every(start, yesterday, 14 + r.nextInt(32), taste, usualMinute, r);
            case RARE -> scattered(start, yesterday, 1 + r.nextInt(4), taste, usualMinute, r);
            case LAPSED -> every(start, today.minusDays(35 + r.nextInt(166)), 6 + r.nextInt(9), taste, usualMinute, r);
            case NEVER -> List.of();
            case OFFICE -> every(start, yesterday, 5 + r.nextInt(14), taste, usualMinute, r, DemoCatalog::officeRound);
        };
        // Thinned before the tier is worked out: a member's tier is what the purchases the store holds give under
        // the rules, at any visit share (heavy thinning leaves fewer members in the upper tiers).
        visits = thinning.keep(index, visits);
        Tier tier = tierFor(visits);
        long figure = tierFigure(visits);
        NewMember m = new NewMember(Ids.next(), DemoIdentities.card(index), DemoIdentities.name(r),
                DemoIdentities.phone(index, r), birthday, tier, storeId, enrolledAt, EnrolmentSource.DEMO);

        boolean migrated = enrolled.isBefore(migratedOn());
        long openingPoints = migrated && r.nextInt(100) < 70 ? 50 + r.nextInt(3000) : 0;
        boolean storedValue = r.nextInt(100) < (habit == Habit.REGULAR || habit == Habit.OFFICE ? 55 : 18);
        long openingSv = storedValue && migrated ? (5 + r.nextInt(46)) * 1000L : 0;
        List<TopUp> topUps = new ArrayList<>();
        if (storedValue) {
            int count = (openingSv == 0 ? 1 : 0) + r.nextInt(3);
            LocalDate from = later(start, migratedOn()); // top-ups are recorded since the store moved to Counterpoint
            long span = ChronoUnit.DAYS.between(from, today);
            long[] amounts = {20_000, 30_000, 50_000, 100_000};
            for (int i = 0; i < count && span > 0; i++) {
                topUps.add(new TopUp(at(from.plusDays(r.nextLong(span)), OPENS + r.nextInt(CLOSES - OPENS)),
                        amounts[r.nextInt(amounts.length)]));
            }
            topUps.sort((a, b) -> a.at().compareTo(b.at()));
        }
        List<PlannedCoupon> coupons = randomCoupons(index, start, enrolled, birthday, tier, visits, r);
        return new MemberPlan(m, figure, openingPoints, migratedOn().plusDays(HISTORY_DAYS), openingSv,
                at(migratedOn(), OPENS - 60),
                List.copyOf(topUps), visits, coupons);
    }

    private LocalDate enrolmentDay(RandomGenerator r) {
        int roll = r.nextInt(100);
        if (roll < 70) {
            return today.minusDays(HISTORY_DAYS + r.nextInt(1100));
        }
        return roll < 95 ? today.minusDays(30 + r.nextInt(HISTORY_DAYS - 30)) : today.minusDays(1 + r.nextInt(29));
    }

    /** Adults of 18 to 65, any day of the year, so every month has its birthdays. */
    private LocalDate birthday(RandomGenerator r) {
        int year = today.getYear() - 18 - r.nextInt(48);
        return LocalDate.ofYearDay(year, 1 + r.nextInt(Year.of(year).length()));
    }

    /** Visits about every {@code meanDays} days (half to one and a half times that) from start to end. */
    private List<Visit> every(LocalDate start, LocalDate end, int meanDays, Taste taste, int usualMinute, RandomGenerator r) {
        return every(start, end, meanDays, taste, usualMinute, r, DemoCatalog::basket);
    }

    /** As {@link #every}, each visit bought by {@code buys}: a round for the office, say. */
    private List<Visit> every(LocalDate start, LocalDate end, int meanDays, Taste taste, int usualMinute, RandomGenerator r,
                              BiFunction<Taste, RandomGenerator, List<PurchaseLine>> buys) {
        List<Visit> out = new ArrayList<>();
        for (LocalDate d = start.plusDays(r.nextInt(meanDays)); !d.isAfter(end);
             d = d.plusDays(Math.max(1, meanDays / 2 + r.nextInt(meanDays + 1)))) {
            out.add(new Visit(at(d, nearby(usualMinute, r)), buys.apply(taste, r)));
        }
        return List.copyOf(out);
    }

    private List<Visit> scattered(LocalDate start, LocalDate end, int count, Taste taste, int usualMinute, RandomGenerator r) {
        long span = ChronoUnit.DAYS.between(start, end) + 1;
        if (span <= 0) {
            return List.of();
        }
        List<Visit> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Visit(at(start.plusDays(r.nextLong(span)), nearby(usualMinute, r)), DemoCatalog.basket(taste, r)));
        }
        out.sort((a, b) -> a.at().compareTo(b.at()));
        return List.copyOf(out);
    }

    /**
     * Coupons as the store's campaigns would have given them: a welcome gift to new members, a
     * birthday gift, a come-back offer after a long gap, and a monthly perk for Gold and above.
     * Each is used at the first visit that qualifies (most of the time), else it stays in the wallet.
     */
    private List<PlannedCoupon> randomCoupons(long index, LocalDate first, LocalDate enrolled, LocalDate birthday, Tier tier,
                                              List<Visit> visits, RandomGenerator r) {
        CouponIssuer issuer = new CouponIssuer(index, visits, r);
        CouponTemplate welcome = templates.get(CouponTemplate.Trigger.WELCOME);
        if (welcome != null && !enrolled.isBefore(windowStart()) && r.nextInt(100) < 70) {
            issuer.issue(welcome, first, 80);
        }
        CouponTemplate gift = templates.get(CouponTemplate.Trigger.BIRTHDAY);
        if (gift != null && birthday != null && r.nextInt(100) < 60) {
            LocalDate last = MonthDay.from(birthday).atYear(today.getYear());
            last = last.isAfter(today) ? MonthDay.from(birthday).atYear(today.getYear() - 1) : last;
            LocalDate issued = later(last.minusDays(r.nextInt(6)), first);
            if (!last.isBefore(first)) {
                issuer.issue(gift, issued, 75);
            }
        }
        CouponTemplate winBack = templates.get(CouponTemplate.Trigger.WIN_BACK);
        if (winBack != null && !visits.isEmpty() && r.nextInt(100) < 50) {
            for (int i = 0; i < visits.size(); i++) {
                LocalDate prev = visits.get(i).at().toLocalDate();
                LocalDate next = i + 1 < visits.size() ? visits.get(i + 1).at().toLocalDate() : today;
                if (ChronoUnit.DAYS.between(prev, next) >= 35) {
                    issuer.issue(winBack, prev.plusDays(30 + r.nextInt(5)), 60);
                    break;
                }
            }
        }
        CouponTemplate perk = templates.get(CouponTemplate.Trigger.TIER_PERK);
        if (perk != null && perk.tier() != null && tier.compareTo(perk.tier()) >= 0) {
            for (int month = 3; month >= 0; month--) {
                LocalDate issued = today.minusDays(month * 30L + r.nextInt(25));
                if (!issued.isBefore(first)) {
                    issuer.issue(perk, issued, 70);
                }
            }
        }
        return issuer.coupons();
    }

    /** Gives out one member's coupons: codes in order, each visit used for at most one coupon. */
    private final class CouponIssuer {
        private final long index;
        private final List<Visit> visits;
        private final RandomGenerator r;
        private final List<PlannedCoupon> coupons = new ArrayList<>();
        private final Set<Visit> usedVisits = Collections.newSetFromMap(new IdentityHashMap<>());

        CouponIssuer(long index, List<Visit> visits, RandomGenerator r) {
            this.index = index;
            this.visits = visits;
            this.r = r;
        }

        /**
         * Offers the coupon from {@code day} on. A tier perk is issued ahead into the wallet; an occasion
         * offer is issued at the counter when taken (as CheckoutService does), and otherwise sits in the
         * wallet as if a campaign had sent it ahead.
         */
        void issue(CouponTemplate t, LocalDate day, int usePercent) {
            if (day.isAfter(today)) {
                return;
            }
            OffsetDateTime from = day.atTime(ISSUE_TIME).atZone(zone).toOffsetDateTime();
            LocalDate until = day.plusDays(t.validDays() - 1L);
            Visit usedOn = null;
            if (r.nextInt(100) < usePercent) {
                usedOn = visits.stream()
                        .filter(v -> !v.at().isBefore(from) && !v.at().toLocalDate().isAfter(until))
                        .filter(v -> v.totalFen() >= t.minSpendFen() && !usedVisits.contains(v))
                        .findFirst().orElse(null);
            }
            String code = DemoIdentities.couponCode(index, coupons.size());
            if (usedOn != null) {
                usedVisits.add(usedOn);
            }
            if (usedOn != null && isOccasion(t)) {
                LocalDate taken = usedOn.at().toLocalDate();
                coupons.add(new PlannedCoupon(code, t.id(), taken, taken.plusDays(t.validDays() - 1L), usedOn.at(),
                        takenAtCounter(t), usedOn, true));
            } else {
                coupons.add(new PlannedCoupon(code, t.id(), day, until, from, issuedAhead(t), usedOn, false));
            }
        }

        List<PlannedCoupon> coupons() {
            return List.copyOf(coupons);
        }
    }

    static boolean isOccasion(CouponTemplate t) {
        return t.trigger() == CouponTemplate.Trigger.WELCOME || t.trigger() == CouponTemplate.Trigger.BIRTHDAY
                || t.trigger() == CouponTemplate.Trigger.WIN_BACK;
    }

    /** Who issued an occasion offer that its trigger gave at the counter (as MemberUpkeep records it). */
    static String takenAtCounter(CouponTemplate t) {
        return Coupon.TRIGGER_PREFIX + t.trigger().name();
    }

    /** A coupon put in the wallet ahead of time, by the demo's stand-in for head-office campaigns. */
    static String issuedAhead(CouponTemplate t) {
        return "demo:" + t.trigger().name();
    }

    // --- the showcase members -------------------------------------------------------------------

    MemberPlan showcase(Showcase s) {
        RandomGenerator r = random(s.number());
        LocalDate t = today;
        return switch (s) {
            case BIRTHDAY -> {
                LocalDate next = t.plusDays(2);
                // 28 years back keeps 29 February a real date
                List<Visit> visits = fixedSteps(t.minusDays(6), 12, DemoCatalog.randomTaste(r), 12 * 60 + 20, r);
                yield plan(s, "林雨桐", next.minusYears(28), t.minusDays(700), EnrolmentSource.DEMO,
                        800, 0, List.of(), visits, List.of());
            }
            case WIN_BACK -> {
                List<Visit> visits = new ArrayList<>();
                for (LocalDate d = t.minusDays(45); !d.isBefore(windowStart()); d = d.minusDays(7)) {
                    visits.add(0, new Visit(at(d, 8 * 60 + 10), List.of(DemoCatalog.DRINKS.get(1).line(1),
                            DemoCatalog.BREADS.get(0).line(1))));
                }
                yield plan(s, "王建国", t.plusDays(150).minusYears(52), t.minusDays(900),
                        EnrolmentSource.DEMO, 1200, 12_000, List.of(), visits, List.of());
            }
            case WELCOME -> plan(s, "张欣怡", t.plusDays(200).minusYears(24), t.minusDays(2),
                    EnrolmentSource.COUNTER, 0, 0, List.of(), List.of(), List.of());
            case VIP -> {
                Taste taste = new Taste(DemoCatalog.DRINKS.get(3), DemoCatalog.BREADS.get(1), DemoCatalog.BEAN_BAGS.get(0),
                        55, 35, 25, 2);
                List<Visit> visits = fixedSteps(t.minusDays(2), 3, taste, 9 * 60 + 40, r);
                CouponTemplate perk = templates.get(CouponTemplate.Trigger.TIER_PERK);
                List<PlannedCoupon> coupons = new ArrayList<>();
                if (perk != null) {
                    LocalDate earlier = t.minusDays(57);
                    Visit used = visits.stream().filter(v -> v.at().toLocalDate().isAfter(earlier)).findFirst().orElseThrow();
                    coupons.add(new PlannedCoupon(Showcase.VIP_USED_COUPON, perk.id(), earlier,
                            earlier.plusDays(perk.validDays() - 1L), earlier.atTime(ISSUE_TIME).atZone(zone).toOffsetDateTime(),
                            issuedAhead(perk), used, false));
                    LocalDate issued = t.plusDays(2).minusDays(perk.validDays() - 1L);
                    coupons.add(new PlannedCoupon(Showcase.VIP_COUPON, perk.id(), issued, t.plusDays(2),
                            issued.atTime(ISSUE_TIME).atZone(zone).toOffsetDateTime(), issuedAhead(perk), null, false));
                }
                List<TopUp> topUps = List.of(new TopUp(at(t.minusDays(200), 10 * 60), 100_000),
                        new TopUp(at(t.minusDays(60), 10 * 60), 100_000));
                yield plan(s, "陈思远", t.plusDays(100).minusYears(38), t.minusDays(1200),
                        EnrolmentSource.DEMO, 5000, 80_000, topUps, visits, coupons);
            }
            case REFUSALS -> {
                LocalDate birthday = t.minusDays(70);
                List<PurchaseLine> usual = List.of(DemoCatalog.DRINKS.get(1).line(1), DemoCatalog.BREADS.get(0).line(1));
                List<Visit> visits = new ArrayList<>(fixedSteps(birthday.minusDays(9), 9, DemoCatalog.randomTaste(r), 15 * 60, r));
                Visit party = new Visit(at(birthday, 16 * 60), List.of(DemoCatalog.BIRTHDAY_CAKE.line(1), DemoCatalog.DRINKS.get(1).line(2)));
                visits.add(party);
                visits.add(new Visit(at(t.minusDays(14), 15 * 60 + 5), usual));
                visits.add(new Visit(at(t.minusDays(5), 15 * 60 + 10), usual));
                List<PlannedCoupon> coupons = new ArrayList<>();
                CouponTemplate gift = templates.get(CouponTemplate.Trigger.BIRTHDAY);
                if (gift != null) {
                    // Taken at the counter on her birthday: issued and used in one go.
                    coupons.add(new PlannedCoupon(Showcase.USED_COUPON, gift.id(), birthday, birthday.plusDays(gift.validDays() - 1L),
                            party.at(), takenAtCounter(gift), party, true));
                }
                CouponTemplate winBack = templates.get(CouponTemplate.Trigger.WIN_BACK);
                if (winBack != null) {
                    // Valid while she came back at 14 days ago, but that basket was under the minimum spend.
                    LocalDate until = t.minusDays(11);
                    LocalDate issued = until.minusDays(winBack.validDays() - 1L);
                    coupons.add(new PlannedCoupon(Showcase.EXPIRED_COUPON, winBack.id(), issued, until,
                            issued.atTime(ISSUE_TIME).atZone(zone).toOffsetDateTime(), issuedAhead(winBack), null, false));
                }
                yield plan(s, "刘佳琪", birthday.minusYears(28), t.minusDays(800), EnrolmentSource.DEMO,
                        300, 0, List.of(), List.copyOf(visits), coupons);
            }
            case DORMANT -> plan(s, "赵敏", null, t.minusDays(600), EnrolmentSource.DEMO, 150, 0,
                    List.of(), fixedSteps(t.minusDays(150), 10, DemoCatalog.randomTaste(r), 18 * 60, r), List.of());
        };
    }

    private MemberPlan plan(Showcase s, String name, LocalDate birthday, LocalDate enrolled,
                            EnrolmentSource source, long openingPoints, long openingSv, List<TopUp> topUps,
                            List<Visit> visits, List<PlannedCoupon> coupons) {
        OffsetDateTime enrolledAt = at(enrolled, 10 * 60 + 15);
        NewMember m = new NewMember(Ids.next(), s.cardCode(), name, DemoIdentities.showcasePhone(s.number()), birthday,
                tierFor(visits), storeId, enrolledAt, source);
        return new MemberPlan(m, tierFigure(visits), openingPoints, migratedOn().plusDays(HISTORY_DAYS), openingSv,
                at(migratedOn(), OPENS - 60),
                topUps, List.copyOf(visits), List.copyOf(coupons));
    }

    /** Visits exactly every {@code step} days, the last on {@code last}, back to the start of the history. */
    private List<Visit> fixedSteps(LocalDate last, int step, Taste taste, int minute, RandomGenerator r) {
        List<Visit> out = new ArrayList<>();
        for (LocalDate d = last; !d.isBefore(windowStart()); d = d.minusDays(step)) {
            out.add(0, new Visit(at(d, minute), DemoCatalog.basket(taste, r)));
        }
        return out;
    }

    private static int nearby(int usualMinute, RandomGenerator r) {
        return Math.max(OPENS, Math.min(CLOSES, usualMinute - 60 + r.nextInt(121)));
    }

    private OffsetDateTime at(LocalDate day, int minuteOfDay) {
        return day.atTime(minuteOfDay / 60, minuteOfDay % 60).atZone(zone).toOffsetDateTime();
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}
