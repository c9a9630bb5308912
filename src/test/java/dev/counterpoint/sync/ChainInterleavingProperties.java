package dev.counterpoint.sync;

import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OwnerApi;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.sync.FaultProxy.Fault;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Any interleaving of counter actions at two or three stores, syncs in any order, connections cut before the request,
 * after head office committed or part-way through the reply, and verdicts lost so events are sent again: once every
 * terminal has synced until nothing is pending, twice round, every counter and head office hold the same member.
 * Compared per member (merged members by the survivor head office names): status and aliases, name, birthday, tier,
 * points and stored value, the coupons with their status, and for each store that keeps the member's history its
 * purchases (with their stores) and the last visit. Along the way, head office never lowers a tier outside its own
 * review: a store never does, whatever it has pulled.
 *
 * <p>All terminals and head office run on one clock (head office refuses stamps more than 5 minutes ahead). Network
 * faults are part of the generated steps, so a failure replays and shrinks to a short list of steps, printed with what
 * each step did.
 */
class ChainInterleavingProperties {
    private static final List<Instant> STARTS = List.of(
            Instant.parse("2026-03-10T02:00:00Z"), // 10:00 in Shanghai
            Instant.parse("2025-12-30T02:00:00Z")); // a review date (1 January) a few days ahead
    private static final List<String> STORES = List.of("S001", "S002", "S003");
    private static final List<String> PHONES = List.of("13800000001", "13800000002", "13800000003", "13800000004",
            "13800000005");
    private static final List<String> NAMES = List.of("王芳", "李雷", "韩梅梅", "张伟", "陈静");
    private static final List<String> TEMPLATES = List.of("BEANS_10", "WELCOME", "BIRTHDAY", "GOLD_PERK");
    private static final int MAX_SYNC_ATTEMPTS = 50;

    private Path tmp;
    private OfficeHarness office;
    private FaultProxy proxy;

    @BeforeTry
    void freshDir() throws IOException {
        tmp = Files.createTempDirectory("chain-interleaving");
    }

    @AfterTry
    void closeAndDelete() throws IOException {
        if (office != null) {
            office.close();
            office = null;
        }
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        OfficeSyncContract.deleteTree(tmp);
    }

    @Property(tries = 25, edgeCases = EdgeCasesMode.NONE)
    void everyCounterAndHeadOfficeAgreeOnEveryMemberOnceAllHaveSynced(@ForAll("chains") Chain chain) throws IOException {
        TestClock clock = new TestClock(STARTS.get(chain.start()), OfficeHarness.ZONE);
        office = new OfficeHarness(OfficeDatabase.of(OfficeHarness.h2DataSource()), 8, clock);
        proxy = new FaultProxy(office.port, 1, 0.0); // no random faults: each step names its own
        URI viaProxy = URI.create("http://127.0.0.1:" + proxy.port());
        List<TerminalWiring> terminals = new ArrayList<>();
        for (int i = 0; i < chain.terminals(); i++) {
            terminals.add(office.terminal(tmp.resolve("t" + i), STORES.get(i), "T1", clock, office.url(), viaProxy));
        }
        Run run = new Run(terminals, clock);
        for (Step step : chain.steps()) {
            run.log.add(step + " → " + run.apply(step));
            run.checkTiers(step instanceof OfficeReview);
        }
        for (int round = 1; round <= 2; round++) {
            for (TerminalWiring t : terminals) {
                run.log.add("final sync " + round + " at " + store(t) + " → " + run.syncUntilQuiet(t));
                run.checkTiers(false);
            }
        }
        List<String> differences = new ArrayList<>(run.lowered);
        differences.addAll(differences(terminals, clock));
        collectStatistics(terminals);
        if (!differences.isEmpty()) {
            throw new AssertionError("after everyone synced:\n  " + String.join("\n  ", differences)
                    + "\nsteps and what they did:\n  " + String.join("\n  ", run.log));
        }
    }

    // ---- the steps ----

    /** One counter, office, clock or network step; terminal and member numbers are taken modulo what exists. */
    sealed interface Step permits Enrol, Sale, TopUp, PayStoredValue, RedeemPoints, RedeemCoupon, IssueCoupon, Edit, Show,
            Advance, SyncOnce, SyncRound, LoseVerdicts, OfficeReview {
    }

    /** Enrols a member with one of a few phones (one already used at another store is merged at head office). */
    record Enrol(int at, int phone, Integer birthdayIn) implements Step {
    }

    /** A sale with lines (empty: the amount alone). */
    record Sale(int at, int member, List<Line> lines, long amountFen) implements Step {
    }

    record Line(int item, int qty) {
    }

    record TopUp(int at, int member, long fen) implements Step {
    }

    /** May go beyond the balance by the offline allowance while the store cannot reach head office. */
    record PayStoredValue(int at, int member, long fen) implements Step {
    }

    record RedeemPoints(int at, int member, long points) implements Step {
    }

    /** The member is shown (upkeep issues what is due), and one of the wallet coupons offered is redeemed. */
    record RedeemCoupon(int at, int member, int pick, long basketFen, boolean beans) implements Step {
    }

    /** A manager's coupon from a template (occasion templates included: head office voids a second one). */
    record IssueCoupon(int at, int member, int template) implements Step {
    }

    /** member-edit: a new name and/or birthday. */
    record Edit(int at, int member, Integer name, Integer birthdayIn) implements Step {
    }

    /** The member shown at a counter (upkeep), its history asked from head office, and shown again. */
    record Show(int at, int member, List<Fault> faults) implements Step {
    }

    record Advance(long minutes) implements Step {
    }

    /** One sync attempt; the faults hit its connections in order. */
    record SyncOnce(int at, List<Fault> faults) implements Step {
    }

    /** Every terminal syncs once, in order; the faults hit the round's connections in order. */
    record SyncRound(List<Fault> faults) implements Step {
    }

    /** Some confirmed events are taken as never answered, so the next sync sends them again. */
    record LoseVerdicts(int at, int every) implements Step {
    }

    /** Head office's tier review pass (the server runs it hourly). */
    record OfficeReview() implements Step {
    }

    record Chain(int start, int terminals, List<Step> steps) {
        @Override
        public String toString() {
            return "Chain(start " + STARTS.get(start) + ", " + terminals + " terminals, " + steps.size() + " steps:\n    "
                    + steps.stream().map(Object::toString).collect(Collectors.joining("\n    ")) + ")";
        }
    }

    private static final List<Item> ITEMS = List.of(
            new Item("LATTE", "咖啡", 3_000), new Item("BEAN-1", "咖啡豆", 9_000), new Item("CAKE", "点心", 2_500),
            new Item("GRINDER", "器具", 80_000), new Item("MACHINE", "器具", 250_000)); // one machine: Silver, two: Gold

    record Item(String sku, String category, long priceFen) {
    }

    @Provide
    Arbitrary<Chain> chains() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 2);
        Arbitrary<Integer> member = Arbitraries.integers().between(0, 5);
        Arbitrary<Integer> birthdayIn = Arbitraries.integers().between(-3, 12).injectNull(0.5);
        // Faults for a sync's connections in order (the restore check, push, pull pages, parked report); shrink to none.
        Arbitrary<List<Fault>> faults = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Fault.PASS)),
                        Tuple.of(1, Arbitraries.of(Fault.CUT_BEFORE_REQUEST, Fault.CUT_AFTER_COMMIT, Fault.CUT_MID_RESPONSE)))
                .list().ofMaxSize(3);
        Arbitrary<Line> line = Combinators.combine(Arbitraries.integers().between(0, ITEMS.size() - 1),
                Arbitraries.integers().between(1, 3)).as(Line::new);
        Arbitrary<Step> enrol = Combinators.combine(at, Arbitraries.integers().between(0, PHONES.size() - 1), birthdayIn)
                .as(Enrol::new);
        Arbitrary<Step> sale = Combinators.combine(at, member, line.list().ofMaxSize(3),
                Arbitraries.longs().between(100, 60_000)).as(Sale::new);
        Arbitrary<Step> topUp = Combinators.combine(at, member, Arbitraries.of(2_000L, 10_000L, 50_000L, 100_000L))
                .as(TopUp::new);
        Arbitrary<Step> pay = Combinators.combine(at, member, Arbitraries.longs().between(100, 40_000)).as(PayStoredValue::new);
        Arbitrary<Step> points = Combinators.combine(at, member, Arbitraries.longs().between(50, 3_000)).as(RedeemPoints::new);
        Arbitrary<Step> coupon = Combinators.combine(at, member, Arbitraries.integers().between(0, 3),
                Arbitraries.longs().between(1_000, 30_000), Arbitraries.of(false, true)).as(RedeemCoupon::new);
        Arbitrary<Step> issue = Combinators.combine(at, member, Arbitraries.integers().between(0, TEMPLATES.size() - 1))
                .as(IssueCoupon::new);
        Arbitrary<Step> edit = Combinators.combine(at, member, Arbitraries.integers().between(0, NAMES.size() - 1).injectNull(0.3),
                birthdayIn).as(Edit::new);
        Arbitrary<Step> show = Combinators.combine(at, member, faults).as(Show::new);
        Arbitrary<Step> advance = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(1, 120)),
                Tuple.of(2, Arbitraries.longs().between(1, 24).map(h -> h * 60)),
                Tuple.of(1, Arbitraries.longs().between(1, 12).map(d -> d * 24 * 60))).map(Advance::new);
        Arbitrary<Step> sync = Combinators.combine(at, faults).as(SyncOnce::new);
        Arbitrary<Step> round = faults.map(SyncRound::new);
        Arbitrary<Step> lose = Combinators.combine(at, Arbitraries.integers().between(1, 3)).as(LoseVerdicts::new);
        Arbitrary<Step> review = Arbitraries.just(new OfficeReview());
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(6, enrol), Tuple.of(6, sale), Tuple.of(2, topUp), Tuple.of(2, pay), Tuple.of(2, points),
                Tuple.of(5, coupon), Tuple.of(2, issue), Tuple.of(2, edit), Tuple.of(4, show), Tuple.of(3, advance),
                Tuple.of(6, sync), Tuple.of(3, round), Tuple.of(1, lose), Tuple.of(1, review));
        return Combinators.combine(Arbitraries.integers().between(0, STARTS.size() - 1), Arbitraries.integers().between(2, 3),
                step.list().ofMinSize(1).ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform())).as(Chain::new);
    }

    // ---- applying the steps ----

    /** One try's terminals and the members enrolled so far (by any store, in order), with what each step did. */
    private final class Run {
        final List<TerminalWiring> terminals;
        final TestClock clock;
        final List<Member> enrolled = new ArrayList<>();
        final List<String> log = new ArrayList<>();

        /** Head office's tier of each active member after the last step. */
        Map<UUID, Tier> tiers = Map.of();
        /** Tiers head office lowered outside its own review. */
        final List<String> lowered = new ArrayList<>();

        Run(List<TerminalWiring> terminals, TestClock clock) {
            this.terminals = terminals;
            this.clock = clock;
        }

        /** Only head office's review lowers a tier: a store never does, whatever it had pulled. */
        void checkTiers(boolean review) {
            Map<UUID, Tier> now = new TreeMap<>();
            office.jdbi().useHandle(h -> h.createQuery("SELECT id, tier FROM member WHERE status = 'ACTIVE'")
                    .map((rs, ctx) -> now.put(rs.getObject(1, UUID.class), Tier.valueOf(rs.getString(2)))).list());
            for (Map.Entry<UUID, Tier> e : now.entrySet()) {
                Tier before = tiers.get(e.getKey());
                if (!review && before != null && e.getValue().compareTo(before) < 0) {
                    lowered.add("member " + e.getKey() + " lowered from " + before + " to " + e.getValue()
                            + " at head office by: " + log.get(log.size() - 1));
                }
            }
            tiers = now;
        }

        TerminalWiring at(int i) {
            return terminals.get(i % terminals.size());
        }

        /**
         * The member the step means: of the members this counter knows (in the order they were enrolled anywhere), the
         * i-th, found by card as a cashier finds them (a merged member's card finds the survivor).
         */
        Optional<Member> member(TerminalWiring t, int i) {
            List<Member> known = enrolled.stream().map(m -> t.memberService().findByCode(m.cardCode()))
                    .flatMap(Optional::stream).toList();
            return known.isEmpty() ? Optional.empty() : Optional.of(known.get(i % known.size()));
        }

        String apply(Step step) {
            try {
                return applyOrRefuse(step);
            } catch (BusinessRuleException e) {
                return "refused: " + e.getMessage(); // the counter says no and nothing is written
            }
        }

        private String applyOrRefuse(Step step) {
            if (step instanceof Enrol e) {
                LocalDate birthday = e.birthdayIn() == null ? null : birthday(e.birthdayIn());
                Member m = at(e.at()).memberService().enrol(NAMES.get(e.phone()), PHONES.get(e.phone()), birthday);
                enrolled.add(m);
                return "member " + (enrolled.size() - 1) + " " + m.id() + " at " + store(at(e.at()));
            } else if (step instanceof Sale s) {
                return onMember(s.at(), s.member(), (t, m) -> {
                    List<PurchaseLine> lines = s.lines().stream().map(l -> {
                        Item item = ITEMS.get(l.item());
                        return new PurchaseLine(item.sku(), item.category(), l.qty(), item.priceFen() * l.qty());
                    }).toList();
                    var r = t.checkoutService().recordSale(m.id(), lines.isEmpty() ? s.amountFen() : null, lines);
                    return "sale " + r.totalFen() + " fen, " + r.pointsEarned() + " points, " + r.tierBefore() + "→" + r.tierAfter();
                });
            } else if (step instanceof TopUp u) {
                return onMember(u.at(), u.member(), (t, m) ->
                        "balance " + t.checkoutService().topUp(m.id(), u.fen()).balanceAfterFen());
            } else if (step instanceof PayStoredValue p) {
                return onMember(p.at(), p.member(), (t, m) ->
                        "balance " + t.checkoutService().payWithStoredValue(m.id(), p.fen()).balanceAfter());
            } else if (step instanceof RedeemPoints p) {
                return onMember(p.at(), p.member(), (t, m) ->
                        "points left " + t.checkoutService().redeemPoints(m.id(), p.points()).balanceAfter());
            } else if (step instanceof RedeemCoupon c) {
                return onMember(c.at(), c.member(), (t, m) -> {
                    List<Suggestion> offered = t.memberSummaryService().byId(m.id()).orElseThrow().suggestions().stream()
                            .filter(s -> !s.isPoints()).toList();
                    if (offered.isEmpty()) {
                        return "no coupon offered";
                    }
                    Suggestion s = offered.get(c.pick() % offered.size());
                    Basket basket = new Basket(c.basketFen(), c.beans() ? Set.of("咖啡豆", "咖啡") : Set.of("咖啡"));
                    return s.couponCode() + " (" + s.template().id() + ") redeemed, "
                            + t.checkoutService().redeem(m.id(), s, basket).discountFen() + " fen off";
                });
            } else if (step instanceof IssueCoupon i) {
                return onMember(i.at(), i.member(), (t, m) ->
                        t.couponService().issueManual(m.id(), TEMPLATES.get(i.template()), "店长").code() + " issued");
            } else if (step instanceof Edit e) {
                return onMember(e.at(), e.member(), (t, m) -> {
                    Member after = t.memberService().updateProfile(m.id(), e.name() == null ? null : NAMES.get(e.name()),
                            e.birthdayIn() == null ? null : birthday(e.birthdayIn()));
                    return after.displayName() + " " + after.birthday();
                });
            } else if (step instanceof Show s) {
                return onMember(s.at(), s.member(), (t, m) -> {
                    t.memberSummaryService().byId(m.id()).orElseThrow();
                    proxy.script(s.faults());
                    try {
                        boolean asked = OfficeSyncContract.engine(t).fetchHistory(m.id());
                        MemberSummary again = t.memberSummaryService().byId(m.id()).orElseThrow();
                        return (asked ? "history asked; " : "") + again.recentPurchases().size() + " recent purchases";
                    } catch (SyncException e) {
                        return "shown; history not asked: " + e.kind();
                    } finally {
                        proxy.script(List.of());
                    }
                });
            } else if (step instanceof Advance a) {
                clock.advance(Duration.ofMinutes(a.minutes()));
                return "now " + clock.instant();
            } else if (step instanceof SyncOnce s) {
                TerminalWiring t = at(s.at());
                proxy.script(s.faults());
                try {
                    SyncReport r = OfficeSyncContract.engine(t).syncOnce();
                    return store(t) + " pushed " + r.pushed() + " " + r.verdicts() + ", pulled " + r.pulled();
                } catch (SyncException e) {
                    return store(t) + " cut off: " + e.kind();
                } finally {
                    proxy.script(List.of());
                }
            } else if (step instanceof SyncRound r) {
                proxy.script(r.faults());
                try {
                    List<String> done = new ArrayList<>();
                    for (TerminalWiring t : terminals) {
                        try {
                            SyncReport report = OfficeSyncContract.engine(t).syncOnce();
                            done.add(store(t) + " pushed " + report.pushed() + " " + report.verdicts() + ", pulled " + report.pulled());
                        } catch (SyncException e) {
                            done.add(store(t) + " cut off: " + e.kind());
                        }
                    }
                    return String.join("; ", done);
                } finally {
                    proxy.script(List.of());
                }
            } else if (step instanceof LoseVerdicts l) {
                TerminalWiring t = at(l.at());
                int lost = t.database().jdbi().withHandle(h -> h.createUpdate("""
                        UPDATE outbox_event SET pushed_at = NULL WHERE pushed_at IS NOT NULL AND MOD(terminal_seq, :m) = 0""")
                        .bind("m", l.every()).execute());
                return store(t) + " will send " + lost + " events again";
            } else if (step instanceof OfficeReview) {
                var pass = office.server.tierReviews().run();
                return "reviewed " + pass.reviewed() + " for " + pass.reviewDate() + ", lowered " + pass.lowered()
                        + ", raised " + pass.raised();
            }
            throw new IllegalArgumentException(step.toString());
        }

        LocalDate birthday(int inDays) {
            return LocalDate.now(clock).plusDays(inDays).minusYears(30);
        }

        interface Act {
            String on(TerminalWiring t, Member m);
        }

        String onMember(int at, int member, Act act) {
            TerminalWiring t = at(at);
            Optional<Member> m = member(t, member);
            if (m.isEmpty()) {
                return "no member known at " + store(t);
            }
            return store(t) + " " + m.get().id() + ": " + act.on(t, m.get());
        }

        /** Syncs until an attempt gets through with nothing left to push. */
        String syncUntilQuiet(TerminalWiring t) {
            for (int attempt = 1; attempt <= MAX_SYNC_ATTEMPTS; attempt++) {
                try {
                    SyncReport r = OfficeSyncContract.engine(t).syncOnce();
                    if (OfficeSyncContract.pending(t) == 0) {
                        return "pushed " + r.pushed() + " " + r.verdicts() + ", pulled " + r.pulled() + ", parked "
                                + r.parked() + (attempt > 1 ? " (attempt " + attempt + ")" : "");
                    }
                } catch (SyncException e) {
                    // cut off: try again, as the scheduler does
                }
            }
            throw new AssertionError(store(t) + " still has events pending after " + MAX_SYNC_ATTEMPTS + " syncs");
        }
    }

    private static String store(TerminalWiring t) {
        return t.config().storeId();
    }

    // ---- comparing ----

    /** A member as one side holds it. Balances are the member's own ledger rows; an alias's are moved to its survivor. */
    record Held(String status, UUID survivor, long points, long storedValueFen, Map<String, String> coupons) {
    }

    /** What an active member looks like: profile and tier. */
    record Profile(String name, LocalDate birthday, String tier) {
    }

    /** A member's purchases (with their store) and last visit, over the member and its aliases. */
    record History(Set<String> purchases, Instant lastVisit) {
    }

    private List<String> differences(List<TerminalWiring> terminals, java.time.Clock clock) {
        List<String> out = new ArrayList<>();
        Jdbi hq = office.jdbi();
        Map<UUID, Held> atOffice = hq.withHandle(ChainInterleavingProperties::officeMembers);
        OwnerApi owner = new OwnerApi(hq, clock, office.json, office.server.phoneBoxes());
        for (TerminalWiring t : terminals) {
            if (t.database().queryLong("SELECT COUNT(*) FROM parked_change") > 0) {
                out.add(store(t) + " parked changes: " + t.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT kind || ': ' || reason FROM parked_change").mapTo(String.class).list()));
            }
        }
        List<String> rejected = hq.withHandle(h -> h.createQuery(
                "SELECT store_id || ' ' || type || ': ' || detail FROM inbox WHERE verdict = 'REJECTED'").mapTo(String.class).list());
        if (!rejected.isEmpty()) {
            out.add("head office rejected " + rejected);
        }
        for (Map.Entry<UUID, Held> e : atOffice.entrySet()) {
            UUID id = e.getKey();
            Held office = e.getValue();
            List<String> keepingRecords = hq.withHandle(h -> h.createQuery("""
                    SELECT s.store_id FROM member m JOIN member_store s ON s.member_id = COALESCE(m.survivor_id, m.id)
                    WHERE m.id = :id""").bind("id", id).mapTo(String.class).list());
            for (TerminalWiring t : terminals) {
                Held here = t.database().jdbi().withHandle(h -> terminalMember(h, id));
                // A store that does not keep the member's records holds at most its own part of the balances, and
                // neither shows nor spends it: the rest must agree.
                Held expected = keepingRecords.contains(store(t)) || here == null ? office
                        : new Held(office.status(), office.survivor(), here.points(), here.storedValueFen(), office.coupons());
                if (!expected.equals(here)) {
                    out.add("member " + id + " at head office " + office + ", at " + store(t) + " " + here);
                }
            }
            if (!office.status().equals("ACTIVE")) {
                continue;
            }
            String card = hq.withHandle(h -> h.createQuery("SELECT card_code FROM member WHERE id = :id").bind("id", id)
                    .mapTo(String.class).one());
            Map<String, Object> owners = owner.memberByCard(card).orElseThrow();
            Profile profile = hq.withHandle(h -> h.createQuery("SELECT display_name, birthday, tier FROM member WHERE id = :id")
                    .bind("id", id).map((rs, ctx) -> new Profile(rs.getString(1), rs.getObject(2, LocalDate.class),
                            rs.getString(3))).one());
            History history = hq.withHandle(h -> officeHistory(h, id));
            if (!Objects.equals(owners.get("tier"), profile.tier()) || !Objects.equals(owners.get("points"), office.points())
                    || !Objects.equals(owners.get("stored_value_fen"), office.storedValueFen())
                    || !Objects.equals(owners.get("last_purchase_at") == null ? null
                            : OffsetDateTime.parse((String) owners.get("last_purchase_at")).toInstant(), history.lastVisit())) {
                out.add("member " + id + ": the owner's view " + owners + " is not " + profile + " " + office + " " + history);
            }
            List<String> keeping = hq.withHandle(h -> h.createQuery(
                    "SELECT store_id FROM member_store WHERE member_id = :id").bind("id", id).mapTo(String.class).list());
            for (TerminalWiring t : terminals) {
                Profile here = t.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT display_name, birthday, tier FROM member WHERE id = :id").bind("id", id)
                        .map((rs, ctx) -> new Profile(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getString(3)))
                        .findOne().orElse(null));
                if (!profile.equals(here)) {
                    out.add("member " + id + " at head office " + profile + ", at " + store(t) + " " + here);
                }
                History held = t.database().jdbi().withHandle(h -> terminalHistory(h, t, id));
                if (keeping.contains(store(t))) {
                    if (!history.equals(held)) {
                        out.add("member " + id + " history at head office " + history + ", at " + store(t) + " (keeps it) " + held);
                    }
                } else if (!history.purchases().containsAll(held.purchases())) {
                    out.add("member " + id + " history at head office " + history + ", at " + store(t) + " " + held);
                }
            }
        }
        for (TerminalWiring t : terminals) {
            long members = t.database().queryLong("SELECT COUNT(*) FROM member");
            if (members != atOffice.size()) {
                out.add(store(t) + " holds " + members + " members, head office " + atOffice.size());
            }
        }
        return out;
    }

    private static Map<UUID, Held> officeMembers(Handle h) {
        Map<UUID, Held> out = new TreeMap<>();
        h.createQuery("SELECT id, status, survivor_id FROM member ORDER BY id").map((rs, ctx) -> {
            UUID id = rs.getObject(1, UUID.class);
            out.put(id, new Held(rs.getString(2), rs.getObject(3, UUID.class),
                    sum(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m", id),
                    sum(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m", id),
                    coupons(h, """
                            SELECT c.code, CASE WHEN c.status = 'VOID' THEN 'VOID'
                                                WHEN EXISTS (SELECT 1 FROM coupon_claim k WHERE k.coupon_code = c.code) THEN 'REDEEMED'
                                                ELSE c.status END
                            FROM coupon c WHERE c.member_id = :m""", id)));
            return id;
        }).list();
        return out;
    }

    private static Held terminalMember(Handle h, UUID id) {
        return h.createQuery("""
                SELECT m.status, a.survivor_id FROM member m LEFT JOIN member_alias a ON a.alias_id = m.id WHERE m.id = :id""")
                .bind("id", id).map((rs, ctx) -> new Held(rs.getString(1), rs.getObject(2, UUID.class),
                        sum(h, "SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = :m", id),
                        sum(h, "SELECT COALESCE(SUM(delta_fen), 0) FROM sv_entry WHERE member_id = :m", id),
                        coupons(h, "SELECT code, status FROM coupon WHERE member_id = :m", id)))
                .findOne().orElse(null);
    }

    private static History officeHistory(Handle h, UUID survivor) {
        List<String> rows = h.createQuery("""
                SELECT p.id || '@' || p.store_id FROM purchase p
                WHERE p.member_id IN (SELECT id FROM member WHERE id = :m OR survivor_id = :m)""")
                .bind("m", survivor).mapTo(String.class).list();
        Instant last = h.createQuery("""
                SELECT MAX(purchased_at) FROM purchase WHERE member_id IN (SELECT id FROM member WHERE id = :m OR survivor_id = :m)""")
                .bind("m", survivor).mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant).orElse(null);
        return new History(new TreeSet<>(rows), last);
    }

    private static History terminalHistory(Handle h, TerminalWiring t, UUID survivor) {
        List<String> rows = h.createQuery("SELECT p.id || '@' || p.store_id FROM "
                        + dev.counterpoint.history.PurchaseRepository.MEMBER_AND_ALIASES + " JOIN purchase p ON p.member_id = who.member_id")
                .bind("member", survivor).mapTo(String.class).list();
        Instant last = t.purchaseRepository().allTime(h, survivor).last().map(OffsetDateTime::toInstant).orElse(null);
        return new History(new TreeSet<>(rows), last);
    }

    private static Map<String, String> coupons(Handle h, String sql, UUID member) {
        Map<String, String> out = new TreeMap<>();
        h.createQuery(sql).bind("m", member).map((rs, ctx) -> out.put(rs.getString(1), rs.getString(2))).list();
        return out;
    }

    private static long sum(Handle h, String sql, UUID member) {
        return h.createQuery(sql).bind("m", member).mapTo(Long.class).one();
    }

    /** What the tries covered, in jqwik's report: tiers, merges, coupons voided or contested, overdrafts, history, faults. */
    private void collectStatistics(List<TerminalWiring> terminals) {
        Jdbi hq = office.jdbi();
        Statistics.label("tier raised").collect(
                hq.withHandle(h -> sum0(h, "SELECT COUNT(*) FROM member WHERE tier <> 'NORMAL'")) > 0);
        Statistics.label("merged").collect(hq.withHandle(h -> sum0(h, "SELECT COUNT(*) FROM member WHERE status = 'MERGED'")) > 0);
        Statistics.label("coupon voided at head office").collect(
                hq.withHandle(h -> sum0(h, "SELECT COUNT(*) FROM coupon WHERE status = 'VOID'")) > 0);
        Statistics.label("coupon contested").collect(
                hq.withHandle(h -> sum0(h, "SELECT COUNT(*) FROM sync_exception WHERE kind = 'COUPON_CONFLICT'")) > 0);
        Statistics.label("overdraft").collect(
                hq.withHandle(h -> sum0(h, "SELECT COUNT(*) FROM sync_exception WHERE kind LIKE '%OVERDRAFT'")) > 0);
        Statistics.label("history asked").collect(terminals.stream()
                .anyMatch(t -> t.database().queryLong("SELECT COUNT(*) FROM chain_history") > 0));
        Statistics.label("reply lost after head office committed").collect(proxy.count(Fault.CUT_AFTER_COMMIT) > 0);
    }

    private static long sum0(Handle h, String sql) {
        return h.createQuery(sql).mapTo(Long.class).one();
    }
}
