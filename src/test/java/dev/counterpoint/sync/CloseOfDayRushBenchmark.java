package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.bench.BenchResults;
import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.coupon.Basket;
import dev.counterpoint.coupon.Coupon;
import dev.counterpoint.coupon.CouponCodes;
import dev.counterpoint.coupon.Suggestion;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.member.CardCodes;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.NewMember;
import dev.counterpoint.member.Phones;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.BusinessRuleException;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.Digests;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The close-of-day rush: 1,000 terminals (200 stores × 5) close the day at the same moment against one head office
 * on loopback. Each terminal's day is realistic: enrolments, coupons issued and redeemed, sales, points and stored
 * value. Every 100th terminal makes it with the terminal's own services on an in-memory terminal database; the others
 * have it written in the same format (making 1,000 days with the services takes far too long on two cores). The
 * rush itself is simulated terminals speaking the real protocol through the real {@link OfficeClient}: the day's
 * events pushed in batches, the change feed pulled to its end, and the close-of-day receipt compared with the
 * terminal's own digest — what {@link CloseDay} does — with Retry-After honoured on 429. Pulled changes are
 * counted, not applied (applying them is each terminal's own work, not head office's).
 *
 * <p>Runs only with {@code mvn -B -Pbench test -Dtest=CloseOfDayRushBenchmark}; {@code -Dbench.office=postgres}
 * runs head office on the embedded PostgreSQL the contract tests use (default: an H2 file, the office's default);
 * {@code -Dbench.rush.nodes=2} with it runs two office processes' servers on that one database, each with its own pool
 * and 429s, and gives the terminals to them in turn.
 * Sizes: {@code -Dbench.rush.terminals} (1,000), {@code -Dbench.rush.minEvents}/{@code maxEvents} (20/100 a day).
 * See docs/benchmarks.md.
 */
class CloseOfDayRushBenchmark {
    private static final int TERMINALS_PER_STORE = 5;
    private static final Duration RUSH_LIMIT = Duration.ofMinutes(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** A terminal that meets this many failures (other than 429) in its close gives up: counted, and the run fails. */
    private static final int MAX_FAILURES = 20;
    private static final Instant YESTERDAY = Instant.parse("2026-03-09T01:00:00Z");
    private static final Instant TODAY = Instant.parse("2026-03-10T01:00:00Z");
    /** Points spent in one redemption (¥2 at the default rules' 100 points a yuan). */
    private static final long SPEND_POINTS = 200;
    /** Every this many terminals, one makes its day with the real services; the others have it written (see writeDay). */
    private static final int REAL_EVERY = 100;
    private static final Pattern STATUS = Pattern.compile("HTTP (\\d{3})");

    @TempDir
    Path tmp;

    /** One outbox event as the terminal pushes it. */
    record Event(UUID id, long seq, long hlc, String type, JsonNode payload, boolean today) {
    }

    /** A registered terminal and its store-day. */
    record Terminal(String store, String terminal, String credential, List<Event> yesterday, List<Event> today) {
        long lastSeq() {
            return today.isEmpty() ? yesterday.get(yesterday.size() - 1).seq() : today.get(today.size() - 1).seq();
        }

        String digest() {
            List<String> ids = new ArrayList<>();
            yesterday.forEach(e -> ids.add(e.id().toString()));
            today.forEach(e -> ids.add(e.id().toString()));
            return Digests.ofEventIds(ids);
        }
    }

    /** What one terminal's close of day cost and met. */
    static final class Outcome {
        final List<long[]> requests = new ArrayList<>(); // {kind, status, nanos}
        long closeNanos;
        /** When the final push was answered, from the start of the rush; 0 until then. */
        long pushedNanos;
        long eventsPushed;
        long pulled;
        int failures;
        boolean confirmed;
        String problem;
    }

    static final int PUSH = 0;
    static final int PULL = 1;
    static final int RECEIPT = 2;
    /** Status recorded for a request that got no HTTP answer (refused, reset, timed out). */
    static final int NO_ANSWER = 0;

    @Test
    void thousandTerminalsCloseTheDayAtOnce() throws Exception {
        int terminals = Integer.getInteger("bench.rush.terminals", 1000);
        int minEvents = Integer.getInteger("bench.rush.minEvents", 20);
        int maxEvents = Integer.getInteger("bench.rush.maxEvents", 100);
        int maxConcurrentSync = Integer.getInteger("bench.rush.maxConcurrentSync", 8);
        String officeKind = System.getProperty("bench.office", "h2");
        // Office processes behind the terminals, each with its own pool and 429s, sharing only PostgreSQL; a terminal
        // talks to one of them, as a load balancer would send it.
        int nodes = Integer.getInteger("bench.rush.nodes", 1);
        if (nodes > 1 && !officeKind.equals("postgres")) {
            throw new IllegalArgumentException("office nodes share a PostgreSQL: give -Dbench.office=postgres with -Dbench.rush.nodes");
        }
        ObjectMapper json = OfficeHarness.json();
        EmbeddedPostgres postgres = officeKind.equals("postgres") ? EmbeddedPostgres.builder().start() : null;
        List<AutoCloseable> moreNodes = new ArrayList<>();
        try {
            // PostgreSQL through the URL, as `office --db` opens it (pooled), not the embedded server's own data source.
            OfficeDatabase db = postgres != null ? OfficeDatabase.url(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null, tmp.resolve("office"))
                    : OfficeDatabase.h2File(tmp.resolve("office"));
            try (OfficeServer server = new OfficeServer(db, Clock.systemUTC(), json, maxConcurrentSync)) {
                int port = server.start("127.0.0.1", 0);
                URI office = URI.create("http://127.0.0.1:" + port);
                List<URI> offices = new ArrayList<>(List.of(office));
                for (int n = 1; n < nodes; n++) {
                    OfficeDatabase nodeDb = OfficeDatabase.url(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null,
                            tmp.resolve("office"));
                    OfficeServer node = new OfficeServer(nodeDb, Clock.systemUTC(), json, maxConcurrentSync);
                    moreNodes.add(nodeDb);
                    moreNodes.add(node);
                    offices.add(URI.create("http://127.0.0.1:" + node.start("127.0.0.1", 0)));
                }

                long setupStarted = System.nanoTime();
                List<Terminal> fleet = prepare(server, office, json, terminals, minEvents, maxEvents);
                long setupMillis = (System.nanoTime() - setupStarted) / 1_000_000;
                long feedBefore = health(office, json).path("feed_seq").asLong();
                // Counted, not read off the feed's end: on PostgreSQL feed numbers are not consecutive.
                long changesBefore = count(db, "SELECT COUNT(*) FROM change_log");
                long todayEvents = fleet.stream().mapToLong(t -> t.today().size()).sum();
                long allEvents = todayEvents + fleet.stream().mapToLong(t -> t.yesterday().size()).sum();

                RushResult rush = rush(fleet, offices, json, feedBefore);

                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("office", postgres != null ? "postgresql (embedded)" : "h2 file");
                figures.put("office_nodes", nodes);
                figures.put("max_concurrent_sync", maxConcurrentSync);
                figures.put("terminals", terminals);
                figures.put("stores", (terminals + TERMINALS_PER_STORE - 1) / TERMINALS_PER_STORE);
                figures.put("events_pushed", todayEvents);
                figures.put("feed_changes_made", count(db, "SELECT COUNT(*) FROM change_log") - changesBefore);
                figures.put("changes_pulled", rush.outcomes.stream().mapToLong(o -> o.pulled).sum());
                figures.put("setup_ms", setupMillis);
                figures.putAll(rush.figures());
                figures.put("verdicts", verdicts(db));
                Map<?, ?> latency = (Map<?, ?>) figures.get("request_latency_ms");
                long fiveHundreds = rush.count(s -> s >= 500);
                BenchResults.record("sync-close-of-day-rush" + (postgres != null ? "-postgres" : "")
                                + (nodes > 1 ? "-" + nodes + "-nodes" : ""), figures,
                        BenchResults.Row.target("close-of-day rush, " + terminals + " terminals, " + figures.get("office")
                                        + (nodes > 1 ? ", " + nodes + " office nodes" : ""),
                                "%s confirmed in %.0f s; %s events/s, %s req/s; p99 %s ms".formatted(figures.get("confirmed"),
                                        rush.wallNanos() / 1e9, figures.get("events_per_second"),
                                        figures.get("requests_per_second"), latency.get("p99")),
                                "%s × 429, %d × 5xx, %s connection errors".formatted(figures.get("status_429"), fiveHundreds,
                                        figures.get("connection_errors")),
                                "no 5xx (429 fine), all confirmed", rush.finished() && fiveHundreds == 0
                                        && figures.get("confirmed").equals((long) terminals)));
                if (!rush.finished()) {
                    throw new AssertionError("the rush did not finish within " + RUSH_LIMIT + ": head office is too slow for "
                            + terminals + " terminals closing at once (figures so far recorded above)");
                }

                assertThat(rush.outcomes).allSatisfy(o -> assertThat(o.confirmed).as(o.problem).isTrue());
                assertThat(count(db, "SELECT COUNT(*) FROM inbox")).isEqualTo(allEvents);
                assertThat(count(db, "SELECT COUNT(*) FROM inbox WHERE verdict IN ('REJECTED', 'REFUSED')")).isZero();
                assertThat(count(db, "SELECT COALESCE(SUM(events_received), 0) FROM terminal")).isEqualTo(allEvents);
                assertThat(rush.count(s -> s >= 500)).as("5xx answers").isZero();
            }
        } finally {
            for (int i = moreNodes.size() - 1; i >= 0; i--) {
                moreNodes.get(i).close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    // ---- the fleet and its day (not timed) ----

    /**
     * Registers every terminal through the office's add-terminal and the register API, makes its day, and pushes
     * yesterday's part, so the rush starts from a fleet that synced last night.
     */
    private List<Terminal> prepare(OfficeServer server, URI office, ObjectMapper json, int terminals, int minEvents,
                                   int maxEvents) throws Exception {
        List<String[]> ids = new ArrayList<>();
        for (int i = 0; i < terminals; i++) {
            ids.add(new String[] {"S%03d".formatted(i / TERMINALS_PER_STORE + 1), "T" + (i % TERMINALS_PER_STORE + 1)});
        }
        // Eight at a time: as many as head office serves at once by default (real days are few, and the rest cheap).
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Terminal>> made = new ArrayList<>();
            for (int i = 0; i < terminals; i++) {
                int index = i;
                made.add(pool.submit(() -> {
                    String store = ids.get(index)[0];
                    String terminal = ids.get(index)[1];
                    String code = server.registrations().addTerminal(store, terminal);
                    JsonNode reg = new OfficeClient(office, null, json, REQUEST_TIMEOUT).register(code);
                    Random random = new Random(20260310L + index);
                    Terminal t = index % REAL_EVERY == 0 ? makeDay(index, reg, random, minEvents, maxEvents)
                            : writeDay(index, reg, random, minEvents, maxEvents);
                    OfficeClient client = new OfficeClient(office, t.credential(), json, REQUEST_TIMEOUT);
                    for (List<Event> batch : batches(t.yesterday())) {
                        retryWhileBusy(() -> client.push(body(t, batch)));
                    }
                    return t;
                }));
            }
            List<Terminal> fleet = new ArrayList<>();
            for (Future<Terminal> f : made) {
                fleet.add(f.get());
            }
            return fleet;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One terminal's store-day, made with its own services on a private in-memory database: yesterday it enrolled
     * its regulars (one terminal in ten has one whose phone is already enrolled at another store: head office merges
     * them) and sold to them; today it enrols a few newcomers, scans members (which issues their welcome coupons), redeems coupons
     * and points, takes stored value, and records sales until it has {@code minEvents..maxEvents} events.
     */
    private Terminal makeDay(int index, JsonNode reg, Random random, int minEvents, int maxEvents) {
        String store = reg.path("store_id").asText();
        String terminal = reg.path("terminal_id").asText();
        Path dir = tmp.resolve("t" + index);
        TerminalConfig.loadOrCreate(dir); // its install id, which seals the phone key written next
        TerminalConfig.update(dir, Map.of("store.id", store, "store.name", "Store " + store, "terminal.id", terminal,
                "phone.key", reg.path("phone_key").asText()));
        TestClock clock = new TestClock(YESTERDAY, OfficeHarness.ZONE);
        try (TerminalWiring ctx = TerminalWiring.inMemory(dir, Locale.ENGLISH, clock)) {
            List<Member> members = new ArrayList<>();
            int regulars = 3 + random.nextInt(6);
            for (int j = 0; j < regulars; j++) {
                // Phones are unique per (terminal, regular), except that one terminal in ten has a first regular
                // already enrolled at the previous store (the same phone: head office merges them).
                int owner = j == 0 && random.nextInt(10) == 0 && index >= TERMINALS_PER_STORE ? index - TERMINALS_PER_STORE : index;
                int slot = owner == index ? j : 0;
                members.add(ctx.memberService().enrol("会员" + index + "-" + j, "139%04d%04d".formatted(owner, slot), null));
                clock.advance(Duration.ofMinutes(3));
                ctx.checkoutService().recordSale(members.get(j).id(), 2_000L + random.nextInt(20_000), List.of());
                if (random.nextInt(3) == 0) {
                    ctx.checkoutService().topUp(members.get(j).id(), 50_000L);
                }
                clock.advance(Duration.ofMinutes(20));
            }
            long yesterdayCount = outboxCount(ctx);
            long yesterdayLastSeq = ctx.database().jdbi().withHandle(h ->
                    h.createQuery("SELECT MAX(terminal_seq) FROM outbox_event").mapTo(Long.class).one());

            clock.set(TODAY);
            int target = minEvents + random.nextInt(maxEvents - minEvents + 1);
            int newcomer = 0;
            while (outboxCount(ctx) - yesterdayCount < target) {
                clock.advance(Duration.ofMinutes(2 + random.nextInt(8)));
                int action = random.nextInt(20);
                if (action == 0) {
                    members.add(ctx.memberService().enrol("新会员" + index + "-" + newcomer,
                            "137%04d%04d".formatted(index, newcomer++), LocalDate.of(1980 + random.nextInt(25), 1 + random.nextInt(12), 1)));
                    continue;
                }
                Member m = members.get(random.nextInt(members.size()));
                MemberSummary panel = ctx.memberSummaryService().byId(m.id()).orElseThrow();
                long basket = 1_500L + random.nextInt(15_000);
                try {
                    if (action <= 2 && !panel.suggestions().isEmpty()) {
                        Suggestion top = panel.suggestions().get(0);
                        ctx.checkoutService().redeem(m.id(), top, new Basket(basket, null));
                    } else if (action == 3 && panel.points() >= SPEND_POINTS) {
                        ctx.checkoutService().redeemPoints(m.id(), SPEND_POINTS);
                    } else if (action == 4 && panel.storedValueFen() >= basket) {
                        ctx.checkoutService().payWithStoredValue(m.id(), basket);
                    } else if (action == 5) {
                        ctx.checkoutService().topUp(m.id(), 20_000L);
                    }
                } catch (BusinessRuleException refused) {
                    // the counter refused it (a minimum spend, a tier): the cashier rings up the sale anyway
                }
                ctx.checkoutService().recordSale(m.id(), basket, List.of());
            }
            List<Event> all = ctx.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT event_id, terminal_seq, hlc, type, payload FROM outbox_event ORDER BY terminal_seq")
                    .map((rs, c) -> new Event(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            readTree(ctx.json(), rs.getString(5)), rs.getLong(2) > yesterdayLastSeq))
                    .list());
            return new Terminal(store, terminal, reg.path("credential").asText(),
                    all.stream().filter(e -> !e.today()).toList(), all.stream().filter(Event::today).toList());
        }
    }

    /**
     * The same kind of day as {@link #makeDay}, written straight into events without a terminal database: making
     * 1,000 days with the real services costs 1–5 s each on this machine. The payloads are the terminal's own
     * (member.enrolled through {@link MemberService#enrolled}; the others with the fields
     * {@code CheckoutService} and {@code CouponService} write), and head office's verdicts check them: the run fails
     * on any REJECTED event. Points are spent from the member's oldest lots first, as {@code PointsLedger} does.
     */
    private static Terminal writeDay(int index, JsonNode reg, Random random, int minEvents, int maxEvents) {
        String store = reg.path("store_id").asText();
        String terminal = reg.path("terminal_id").asText();
        Phones phones = new Phones(HexFormat.of().parseHex(reg.path("phone_key").asText()));
        // as a registered terminal sends them: each new member's number boxed for head office
        java.security.PublicKey boxKey = dev.counterpoint.protocol.PhoneBox.publicKey(reg.path("phone_box_key").asText());
        TestClock clock = new TestClock(YESTERDAY, OfficeHarness.ZONE);
        DayWriter day = new DayWriter(store, terminal, clock, new Hlc(clock, 0), OfficeHarness.json());
        int regulars = 3 + random.nextInt(6);
        List<DayWriter.Customer> members = new ArrayList<>();
        for (int j = 0; j < regulars; j++) {
            int owner = j == 0 && random.nextInt(10) == 0 && index >= TERMINALS_PER_STORE ? index - TERMINALS_PER_STORE : index;
            int slot = owner == index ? j : 0;
            String phone = "139%04d%04d".formatted(owner, slot);
            members.add(day.enrol("会员" + index + "-" + j, phone, phones.hmac(phone),
                    dev.counterpoint.protocol.PhoneBox.seal(boxKey, phone), null, random));
            clock.advance(Duration.ofMinutes(3));
            day.sale(members.get(j), 2_000L + random.nextInt(20_000));
            if (random.nextInt(3) == 0) {
                day.topUp(members.get(j), 50_000L);
            }
            clock.advance(Duration.ofMinutes(20));
        }
        List<Event> yesterday = day.take(false);
        clock.set(TODAY);
        int target = minEvents + random.nextInt(maxEvents - minEvents + 1);
        int newcomer = 0;
        while (day.size() < target) {
            clock.advance(Duration.ofMinutes(2 + random.nextInt(8)));
            int action = random.nextInt(20);
            if (action == 0) {
                String phone = "137%04d%04d".formatted(index, newcomer);
                DayWriter.Customer c = day.enrol("新会员" + index + "-" + newcomer++, phone, phones.hmac(phone),
                        dev.counterpoint.protocol.PhoneBox.seal(boxKey, phone),
                        LocalDate.of(1980 + random.nextInt(25), 1 + random.nextInt(12), 1), random);
                members.add(c);
                day.welcomeCoupon(c, random); // issued on the newcomer's first scan
                continue;
            }
            DayWriter.Customer m = members.get(random.nextInt(members.size()));
            long basket = 1_500L + random.nextInt(15_000);
            if (action <= 2 && m.welcome != null) {
                day.redeemWelcome(m, basket);
            } else if (action == 3 && m.points() >= SPEND_POINTS) {
                day.spendPoints(m, SPEND_POINTS);
            } else if (action == 4 && m.storedValueFen >= basket) {
                day.payStoredValue(m, basket);
            } else if (action == 5) {
                day.topUp(m, 20_000L);
            }
            day.sale(m, basket);
        }
        return new Terminal(store, terminal, reg.path("credential").asText(), yesterday, day.take(true));
    }

    /** Writes one terminal's events in its own format, numbering them as its outbox does. */
    private static final class DayWriter {
        /** A member as this terminal knows it: its point lots (oldest first) and stored value. */
        static final class Customer {
            final UUID id;
            final List<long[]> lots = new ArrayList<>(); // {index into lotIds, remaining}
            final List<UUID> lotIds = new ArrayList<>();
            long storedValueFen;
            String[] welcome; // {coupon id, code} while unused

            Customer(UUID id) {
                this.id = id;
            }

            long points() {
                return lots.stream().mapToLong(l -> l[1]).sum();
            }
        }

        private final String store;
        private final String terminal;
        private final Clock clock;
        private final Hlc hlc;
        private final ObjectMapper json;
        private final List<Event> events = new ArrayList<>();
        private long seq;
        private int receipts;
        /** The rules every terminal ships with, which head office checks the written events against. */
        private static final RuleSet RULES = builtInRules();

        private static RuleSet builtInRules() {
            try (Database shipped = Database.inMemory("rush-rules-" + UUID.randomUUID())) {
                return shipped.jdbi().withHandle(h -> new RuleSetRepository(OfficeHarness.json()).active(h));
            }
        }

        DayWriter(String store, String terminal, Clock clock, Hlc hlc, ObjectMapper json) {
            this.store = store;
            this.terminal = terminal;
            this.clock = clock;
            this.hlc = hlc;
            this.json = json;
        }

        int size() {
            return events.size();
        }

        List<Event> take(boolean today) {
            List<Event> out = events.stream().map(e -> new Event(e.id(), e.seq(), e.hlc(), e.type(), e.payload(), today)).toList();
            events.clear();
            return out;
        }

        Customer enrol(String name, String phone, String phoneHmac, String phoneBox, LocalDate birthday, Random random) {
            NewMember m = new NewMember(Ids.next(), CardCodes.newCardCode(random), name, phone, birthday, Tier.NORMAL, store,
                    now(), EnrolmentSource.COUNTER);
            add("member.enrolled", MemberService.enrolled(m, phoneHmac, phoneBox));
            return new Customer(m.id());
        }

        void sale(Customer c, long totalFen) {
            OffsetDateTime now = now();
            UUID purchase = Ids.next();
            long earned = RULES.pointsFor(totalFen, Tier.NORMAL);
            UUID entry = Ids.next();
            c.lotIds.add(entry);
            c.lots.add(new long[] {c.lotIds.size() - 1, earned});
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("purchase_id", purchase.toString());
            p.put("receipt_no", "%s-%s-%06d".formatted(store, terminal, ++receipts));
            p.put("member_id", c.id.toString());
            p.put("purchased_at", now.toString());
            p.put("total_fen", totalFen);
            p.put("lines", PurchaseLine.toWire(List.of(new PurchaseLine(null, null, 1, totalFen))));
            p.put("points_earned", earned);
            p.put("points_entry_id", entry.toString());
            p.put("points_expire_on", now.toLocalDate().plusDays(365).toString());
            p.put("tier_before", "NORMAL");
            p.put("tier_after", "NORMAL");
            p.put("tier_event_id", null);
            p.put("tier_figure", 0);
            p.put("rule_set_version", RULES.version());
            add("sale.recorded", p);
        }

        void topUp(Customer c, long amountFen) {
            long bonus = RULES.topUpBonusFen(amountFen);
            c.storedValueFen += amountFen + bonus;
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("entry_id", Ids.next().toString());
            p.put("bonus_entry_id", bonus > 0 ? Ids.next().toString() : null);
            p.put("member_id", c.id.toString());
            p.put("amount_fen", amountFen);
            p.put("bonus_fen", bonus);
            p.put("balance_after_fen", c.storedValueFen);
            p.put("rule_set_version", RULES.version());
            p.put("topped_up_at", now().toString());
            add("stored_value.topped_up", p);
        }

        void payStoredValue(Customer c, long amountFen) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("entry_id", Ids.next().toString());
            p.put("member_id", c.id.toString());
            p.put("amount_fen", amountFen);
            p.put("balance_before_fen", c.storedValueFen);
            p.put("beyond_balance_fen", 0);
            p.put("paid_at", now().toString());
            c.storedValueFen -= amountFen;
            add("stored_value.paid", p);
        }

        void spendPoints(Customer c, long points) {
            long balance = c.points();
            List<Map<String, Object>> entries = new ArrayList<>();
            long left = points;
            for (long[] lot : c.lots) {
                long take = Math.min(left, lot[1]);
                if (take > 0) {
                    lot[1] -= take;
                    left -= take;
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("entry_id", Ids.next().toString());
                    e.put("delta", -take);
                    e.put("lot_id", c.lotIds.get((int) lot[0]).toString());
                    entries.add(e);
                }
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("entry_ids", entries.stream().map(e -> e.get("entry_id")).toList());
            p.put("entries", entries);
            p.put("member_id", c.id.toString());
            p.put("points", points);
            p.put("discount_fen", RULES.fenForPoints(points));
            p.put("balance_before", balance);
            p.put("beyond_balance", 0);
            p.put("rule_set_version", RULES.version());
            p.put("redeemed_at", now().toString());
            add("points.redeemed", p);
        }

        void welcomeCoupon(Customer c, Random random) {
            OffsetDateTime now = now();
            c.welcome = new String[] {Ids.next().toString(), CouponCodes.newCode(random)};
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("coupon_id", c.welcome[0]);
            p.put("coupon_code", c.welcome[1]);
            p.put("template_id", "WELCOME");
            p.put("member_id", c.id.toString());
            p.put("valid_from", now.toLocalDate().toString());
            p.put("valid_until", now.toLocalDate().plusDays(13).toString());
            p.put("issued_by", Coupon.TRIGGER_PREFIX + "WELCOME");
            p.put("issued_at", now.toString());
            add("coupon.issued", p);
        }

        void redeemWelcome(Customer c, long basketFen) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("redemption_id", Ids.next().toString());
            p.put("coupon_id", c.welcome[0]);
            p.put("coupon_code", c.welcome[1]);
            p.put("template_id", "WELCOME");
            p.put("member_id", c.id.toString());
            p.put("reason", "WELCOME");
            p.put("basket_fen", basketFen);
            p.put("discount_fen", 1_000);
            p.put("redeemed_at", now().toString());
            c.welcome = null;
            add("coupon.redeemed", p);
        }

        private void add(String type, Object payload) {
            events.add(new Event(Ids.next(), ++seq, hlc.now(), type, json.valueToTree(payload), false));
        }

        private OffsetDateTime now() {
            return OffsetDateTime.now(clock);
        }
    }

    private static long outboxCount(TerminalWiring ctx) {
        return ctx.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox_event").mapTo(Long.class).one());
    }

    // ---- the rush (timed) ----

    record RushResult(List<Outcome> outcomes, long wallNanos, boolean finished) {
        long count(java.util.function.IntPredicate status) {
            return outcomes.stream().flatMap(o -> o.requests.stream()).filter(r -> status.test((int) r[1])).count();
        }

        Map<String, Object> figures() {
            Map<String, Object> f = new LinkedHashMap<>();
            long requests = outcomes.stream().mapToLong(o -> o.requests.size()).sum();
            long events = outcomes.stream().mapToLong(o -> o.eventsPushed).sum();
            double seconds = wallNanos / 1e9;
            f.put("finished", finished);
            f.put("wall_ms", wallNanos / 1_000_000);
            f.put("events_pushed_in_rush", events);
            // when the last terminal's final push was answered: from then on the rush is pulls and receipts
            f.put("all_pushed_ms", outcomes.stream().allMatch(o -> o.pushedNanos > 0)
                    ? outcomes.stream().mapToLong(o -> o.pushedNanos).max().orElse(0) / 1_000_000 : -1);
            f.put("events_per_second", Math.round(events / seconds));
            f.put("requests", requests);
            f.put("requests_per_second", Math.round(requests / seconds));
            f.put("status_2xx", count(s -> s >= 200 && s < 300));
            f.put("status_429", count(s -> s == 429));
            f.put("status_5xx", count(s -> s >= 500));
            f.put("status_other", count(s -> s >= 300 && s != 429 && s < 500));
            f.put("connection_errors", count(s -> s == NO_ANSWER));
            f.put("request_latency_ms", millis(latencies(r -> true)));
            f.put("push_2xx_latency_ms", millis(latencies(r -> r[0] == PUSH && r[1] == 200)));
            f.put("pull_2xx_latency_ms", millis(latencies(r -> r[0] == PULL && r[1] == 200)));
            f.put("receipt_2xx_latency_ms", millis(latencies(r -> r[0] == RECEIPT && r[1] == 200)));
            f.put("close_of_day_ms", millis(outcomes.stream().filter(o -> o.confirmed).mapToLong(o -> o.closeNanos).toArray()));
            f.put("confirmed", outcomes.stream().filter(o -> o.confirmed).count());
            return f;
        }

        private long[] latencies(java.util.function.Predicate<long[]> which) {
            return outcomes.stream().flatMap(o -> o.requests.stream()).filter(which).mapToLong(r -> r[2]).toArray();
        }

        private static Map<String, Object> millis(long[] nanos) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (nanos.length == 0) {
                m.put("samples", 0);
                return m;
            }
            BenchResults.Latency l = BenchResults.Latency.of(nanos);
            m.put("samples", l.samples());
            m.put("p50", Math.round(l.p50Micros() / 10.0) / 100.0);
            m.put("p95", Math.round(l.p95Micros() / 10.0) / 100.0);
            m.put("p99", Math.round(l.p99Micros() / 10.0) / 100.0);
            m.put("max", Math.round(l.maxMicros() / 10.0) / 100.0);
            return m;
        }
    }

    /**
     * Every terminal on its own thread, released together. Past {@link #RUSH_LIMIT} the terminals are stopped and
     * what they had done is reported as unfinished.
     */
    private RushResult rush(List<Terminal> fleet, List<URI> offices, ObjectMapper json, long cursor) throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(fleet.size());
        CountDownLatch ready = new CountDownLatch(fleet.size());
        CountDownLatch go = new CountDownLatch(1);
        long[] started = new long[1];
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < fleet.size(); i++) {
            Terminal t = fleet.get(i);
            OfficeClient client = new OfficeClient(offices.get(i % offices.size()), t.credential(), json, REQUEST_TIMEOUT);
            Outcome o = new Outcome();
            outcomes.add(o);
            threads.submit(() -> {
                ready.countDown();
                go.await();
                closeDay(t, client, cursor, o, started[0]);
                return null;
            });
        }
        ready.await();
        started[0] = System.nanoTime();
        go.countDown();
        threads.shutdown();
        boolean finished = threads.awaitTermination(RUSH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        long wall = System.nanoTime() - started[0];
        if (!finished) {
            threads.shutdownNow();
            if (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new AssertionError("simulated terminals did not stop");
            }
        }
        return new RushResult(outcomes, wall, finished);
    }

    /** What {@link CloseDay} does: the final push, a pull to the feed's end, and the receipt, checked against our digest. */
    private static void closeDay(Terminal t, OfficeClient client, long startCursor, Outcome o, long rushStarted) {
        long started = System.nanoTime();
        try {
            for (List<Event> batch : batches(t.today())) {
                JsonNode reply = call(o, PUSH, () -> client.push(body(t, batch)));
                if (reply.path("verdicts").size() != batch.size()) {
                    throw new IllegalStateException("head office answered " + reply.path("verdicts").size() + " of " + batch.size());
                }
                o.eventsPushed += batch.size();
            }
            o.pushedNanos = System.nanoTime() - rushStarted;
            long cursor = startCursor;
            while (true) {
                long from = cursor;
                JsonNode page = call(o, PULL, () -> client.pull(from, SyncEngine.PAGE));
                o.pulled += page.path("changes").size();
                cursor = page.path("cursor").asLong(cursor);
                if (!page.path("more").asBoolean(false)) {
                    break;
                }
            }
            long through = t.lastSeq();
            JsonNode receipt = call(o, RECEIPT, () -> client.receipt(through));
            o.confirmed = t.digest().equals(receipt.path("digest").asText());
            if (!o.confirmed) {
                o.problem = t.store() + "/" + t.terminal() + ": digest differs from head office's";
            }
        } catch (RuntimeException e) {
            o.problem = t.store() + "/" + t.terminal() + ": " + e;
        }
        o.closeNanos = System.nanoTime() - started;
    }

    /**
     * One request, repeated until answered: after a 429 the terminal waits the Retry-After it was given; after no
     * answer or a failure it waits a second, as its next sync would, and gives up after {@link #MAX_FAILURES}.
     */
    private static JsonNode call(Outcome o, int kind, Supplier<JsonNode> request) {
        while (true) {
            long t0 = System.nanoTime();
            try {
                JsonNode reply = request.get();
                o.requests.add(new long[] {kind, 200, System.nanoTime() - t0});
                return reply;
            } catch (SyncException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e; // stopped at the time limit: not an answer from head office
                }
                long nanos = System.nanoTime() - t0;
                int status = switch (e.kind()) {
                    case BUSY -> 429;
                    case UNREACHABLE -> NO_ANSWER;
                    case REFUSED -> statusIn(e.getMessage(), 401);
                    default -> statusIn(e.getMessage(), 500);
                };
                o.requests.add(new long[] {kind, status, nanos});
                if (status != 429 && ++o.failures > MAX_FAILURES) {
                    throw e;
                }
                sleep(status == 429 ? Duration.ofSeconds(e.retryAfterSeconds()) : Duration.ofSeconds(1));
            }
        }
    }

    private static int statusIn(String message, int fallback) {
        Matcher m = STATUS.matcher(message == null ? "" : message);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    private static void retryWhileBusy(Supplier<JsonNode> request) {
        call(new Outcome(), PUSH, request);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<List<Event>> batches(List<Event> events) {
        List<List<Event>> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i += SyncEngine.BATCH) {
            out.add(events.subList(i, Math.min(events.size(), i + SyncEngine.BATCH)));
        }
        return out;
    }

    /** The push body exactly as {@link SyncEngine} builds it. */
    private static Map<String, Object> body(Terminal t, List<Event> batch) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (Event e : batch) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event_id", e.id().toString());
            m.put("store_id", t.store());
            m.put("terminal_id", t.terminal());
            m.put("terminal_seq", e.seq());
            m.put("hlc", e.hlc());
            m.put("type", e.type());
            m.put("payload", e.payload());
            events.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("store_id", t.store());
        body.put("terminal_id", t.terminal());
        body.put("batch_id", events.get(0).get("event_id"));
        body.put("events", events);
        return body;
    }

    // ---- office-side checks ----

    private static JsonNode health(URI office, ObjectMapper json) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(office.resolve("/v1/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    private static long count(OfficeDatabase db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static Map<String, Long> verdicts(OfficeDatabase db) {
        Map<String, Long> out = new TreeMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT verdict, COUNT(*) FROM inbox GROUP BY verdict")
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    private static JsonNode readTree(ObjectMapper json, String s) {
        try {
            return json.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException("outbox payload is not JSON", e);
        }
    }
}
