package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.loyalty.Segments;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A segment selects exactly the members whose facts match it: members with generated purchases, points and custom tags
 * (on or removed) are written
 * to head office's tables, selected by {@link SegmentSelection}, and compared with a plain predicate over the
 * generated facts, written here without the selection's code.
 */
class SegmentProperties {
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);
    static final List<String> STORES = List.of("S1", "S2", "S3");
    static final List<String> CATEGORIES = List.of("咖啡豆", "饮品", "甜点");
    /** Days drawn from the thresholds' neighbourhoods, so that a segment's bounds and the members' visits often meet. */
    static final Arbitrary<Integer> DAYS = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.of(0, 1, 2, 14, 15, 30, 31, 60, 61, 120, 121, 365, 366)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 500)));
    private static OfficeDatabase db;
    private static final ObjectMapper JSON = ProtocolJson.newMapper();

    /** What was taken back of a sale: nothing, half of it by a refund, or all of it by a void (no visit at all). */
    enum Taken { NOTHING, HALF, VOID }

    record Buy(String store, int daysAgo, long totalFen, List<String> categories, Taken taken) {
        long refundedFen() {
            return switch (taken) {
                case NOTHING -> 0;
                case HALF -> totalFen / 2;
                case VOID -> totalFen;
            };
        }

        long keptFen() {
            return totalFen - refundedFen();
        }
    }

    record Lot(long points, int expiresInDays) {
    }

    /** @param tags the member's custom tags held at head office: on (true) or off (false, a tag removed) */
    record Gen(Tier tier, String home, LocalDate birthday, int joinedDaysAgo, boolean erased, List<Buy> buys, List<Lot> lots,
               Map<String, Boolean> tags) {
    }

    /** Custom tags the members carry; "vip" and "VIP" are two tags. "无人" is named by segments and held by no one. */
    static final List<String> CUSTOM_TAGS = List.of("VIP", "vip", "素食", "生日会", "Coffee-club_2");

    private static synchronized OfficeDatabase db() {
        if (db == null) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:segments-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            ds.setUser("office");
            db = OfficeDatabase.of(ds);
        }
        return db;
    }

    @AfterContainer
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @Property(tries = 250)
    void aSegmentSelectsExactlyTheMembersWhoseFactsMatch(@ForAll("members") List<Gen> members,
                                                          @ForAll("segments") ObjectNode segmentJson) {
        List<UUID> ids = write(members);
        Segment segment = Segment.parse(segmentJson);
        List<UUID> selected = db().jdbi().withHandle(h -> SegmentSelection.select(h, segment, TODAY, ZoneOffset.UTC));
        Set<UUID> expected = new TreeSet<>();
        for (int i = 0; i < members.size(); i++) {
            if (matches(members.get(i), segmentJson)) {
                expected.add(ids.get(i));
            }
        }
        assertThat(new TreeSet<>(selected)).as(segmentJson.toString()).isEqualTo(expected);
    }

    /** The plain predicate: each condition in the JSON read against the generated facts. */
    private static boolean matches(Gen g, ObjectNode s) {
        if (g.erased()) {
            return false;
        }
        if (s.has("tiers") && !texts(s, "tiers").contains(g.tier().name().toLowerCase())) {
            return false;
        }
        if (s.has("home_stores") && !texts(s, "home_stores").contains(g.home())) {
            return false;
        }
        if (s.has("birthday_month") && (g.birthday() == null || g.birthday().getMonthValue() != s.get("birthday_month").asInt())) {
            return false;
        }
        List<Buy> visits = g.buys().stream().filter(b -> b.taken() != Taken.VOID).toList();
        if (s.has("stores_visited") && visits.stream().noneMatch(b -> texts(s, "stores_visited").contains(b.store()))) {
            return false;
        }
        Optional<Integer> sinceLast = visits.stream().map(Buy::daysAgo).min(Integer::compare);
        if (s.has("last_visit_days_min") && (sinceLast.isEmpty() || sinceLast.get() < s.get("last_visit_days_min").asInt())) {
            return false;
        }
        if (s.has("last_visit_days_max") && (sinceLast.isEmpty() || sinceLast.get() > s.get("last_visit_days_max").asInt())) {
            return false;
        }
        if (s.has("last_visit_from") && (sinceLast.isEmpty()
                || TODAY.minusDays(sinceLast.get()).isBefore(LocalDate.parse(s.get("last_visit_from").asText())))) {
            return false;
        }
        if (s.has("tags") || s.has("category") || s.has("rfm_min")) {
            List<Segments.Visit> year = visits.stream().filter(b -> b.daysAgo() <= 365)
                    .map(b -> new Segments.Visit(TODAY.minusDays(b.daysAgo()), b.keptFen(), b.categories())).toList();
            Segments.Profile p = Segments.derive(year, sinceLast.map(TODAY::minusDays),
                    Optional.of(TODAY.minusDays(g.joinedDaysAgo())), TODAY);
            // One list: an automatic tag the member's year gives, or a custom tag the member has on.
            if (s.has("tags") && texts(s, "tags").stream().noneMatch(t -> automatic(t)
                    ? p.tags().contains(SegmentTag.valueOf(t.toUpperCase())) : Boolean.TRUE.equals(g.tags().get(t)))) {
                return false;
            }
            if (s.has("category") && !p.affinity().contains(s.get("category").asText())) {
                return false;
            }
            if (s.has("rfm_min") && p.rfm().monetary() < s.get("rfm_min").get("m").asInt()) {
                return false;
            }
        }
        long points = g.lots().stream().mapToLong(Lot::points).sum();
        if (s.has("points_min") && points < s.get("points_min").asLong()) {
            return false;
        }
        if (s.has("points_max") && points > s.get("points_max").asLong()) {
            return false;
        }
        if (s.has("expiring_points_min")) {
            long expiring = g.lots().stream().filter(l -> l.expiresInDays() >= 0 && l.expiresInDays() <= 30)
                    .mapToLong(Lot::points).sum();
            return expiring >= s.get("expiring_points_min").asLong();
        }
        return true;
    }

    private static boolean automatic(String name) {
        return java.util.Arrays.stream(SegmentTag.values()).anyMatch(t -> t.name().equalsIgnoreCase(name));
    }

    private static Set<String> texts(ObjectNode s, String field) {
        Set<String> out = new java.util.HashSet<>();
        s.get(field).forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<UUID> write(List<Gen> members) {
        return db().jdbi().inTransaction(h -> {
            for (String table : List.of("purchase_line", "purchase", "refund", "checkout", "points_entry", "member_tag",
                    "member")) {
                h.execute("DELETE FROM " + table);
            }
            List<UUID> ids = new ArrayList<>();
            int n = 0;
            for (Gen g : members) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                OffsetDateTime joined = TODAY.minusDays(g.joinedDaysAgo()).atTime(9, 0).atOffset(ZoneOffset.UTC);
                h.createUpdate("""
                        INSERT INTO member(id, card_code, display_name, birthday, tier, home_store, enrolled_at, enrolled_hlc,
                                           enrolled_via, status, erased_at)
                        VALUES (:id, :card, 'm', :birthday, :tier, :home, :at, 1, 'COUNTER', 'ACTIVE', :erased)""")
                        .bind("id", id).bind("card", "29" + (n++)).bind("birthday", g.birthday()).bind("tier", g.tier().name())
                        .bind("home", g.home()).bind("at", joined).bind("erased", g.erased() ? joined : null).execute();
                for (Buy b : g.buys()) {
                    UUID p = UUID.randomUUID();
                    String receipt = "S-" + p;
                    OffsetDateTime at = TODAY.minusDays(b.daysAgo()).atTime(12, 0).atOffset(ZoneOffset.UTC);
                    h.createUpdate("""
                            INSERT INTO purchase(id, member_id, receipt_no, store_id, terminal_id, purchased_at, total_fen,
                                                 source, refunded_fen)
                            VALUES (:id, :m, :r, :s, 'T1', :at, :total, 'SALE', :refunded)""")
                            .bind("id", p).bind("m", id).bind("r", receipt).bind("s", b.store()).bind("at", at)
                            .bind("total", b.totalFen()).bind("refunded", b.refundedFen()).execute();
                    if (b.taken() != Taken.NOTHING) {
                        UUID checkout = UUID.randomUUID();
                        h.createUpdate("""
                                INSERT INTO checkout(id, receipt_no, member_id, store_id, terminal_id, completed_at, payload,
                                                     event_id)
                                VALUES (:id, :r, :m, :s, 'T1', :at, '{}', :e)""")
                                .bind("id", checkout).bind("r", receipt).bind("m", id).bind("s", b.store()).bind("at", at)
                                .bind("e", UUID.randomUUID()).execute();
                        h.createUpdate("""
                                INSERT INTO refund(id, checkout_id, refund_no, store_id, terminal_id, kind, refunded_at, payload,
                                                   event_id)
                                VALUES (:id, :c, :no, :s, 'T1', :kind, :at, '{}', :e)""")
                                .bind("id", UUID.randomUUID()).bind("c", checkout).bind("no", "R-" + p).bind("s", b.store())
                                .bind("kind", b.taken() == Taken.VOID ? "VOID" : "REFUND").bind("at", at)
                                .bind("e", UUID.randomUUID()).execute();
                    }
                    int line = 1;
                    for (String c : b.categories()) {
                        h.createUpdate("""
                                INSERT INTO purchase_line(purchase_id, line_no, sku, category, qty, amount_fen)
                                VALUES (:p, :n, 'SKU', :c, 1, 100)""").bind("p", p).bind("n", line++).bind("c", c).execute();
                    }
                }
                for (Map.Entry<String, Boolean> t : g.tags().entrySet()) {
                    h.createUpdate("""
                            INSERT INTO member_tag(member_id, tag, tag_on, set_at, store_id, staff_id, hlc, event_id)
                            VALUES (:m, :t, :on, :at, 'S1', 'li', 1, :e)""")
                            .bind("m", id).bind("t", t.getKey()).bind("on", t.getValue()).bind("at", joined)
                            .bind("e", UUID.randomUUID()).execute();
                }
                for (Lot l : g.lots()) {
                    h.createUpdate("""
                            INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, created_at, hlc)
                            VALUES (:id, :m, :d, 'EARN', :exp, :at, 1)""")
                            .bind("id", UUID.randomUUID()).bind("m", id).bind("d", l.points())
                            .bind("exp", TODAY.plusDays(l.expiresInDays())).bind("at", joined).execute();
                }
            }
            return ids;
        });
    }

    @Provide
    Arbitrary<List<Gen>> members() {
        Arbitrary<Buy> buy = Combinators.combine(Arbitraries.of(STORES), DAYS,
                Arbitraries.longs().between(100, 300_000), Arbitraries.of(CATEGORIES).list().ofMaxSize(2).uniqueElements(),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(Taken.NOTHING)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of(Taken.HALF, Taken.VOID))))
                .as(Buy::new);
        Arbitrary<Lot> lot = Combinators.combine(Arbitraries.longs().between(1, 2_000), Arbitraries.integers().between(-10, 90))
                .as(Lot::new);
        Arbitrary<LocalDate> birthday = Arbitraries.integers().between(0, 365 * 60)
                .map(d -> LocalDate.of(1950, 1, 1).plusDays(d)).injectNull(0.2);
        return Combinators.combine(Arbitraries.of(Tier.class), Arbitraries.of(STORES), birthday,
                Arbitraries.integers().between(0, 800), Arbitraries.frequency(net.jqwik.api.Tuple.of(1, true), net.jqwik.api.Tuple.of(4, false)),
                buy.list().ofMaxSize(12), lot.list().ofMaxSize(4),
                Arbitraries.maps(Arbitraries.of(CUSTOM_TAGS), Arbitraries.of(true, true, false)).ofMaxSize(3))
                .as(Gen::new).list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<ObjectNode> segments() {
        Arbitrary<ObjectNode> one = Arbitraries.integers().between(0, 14).flatMap(kind -> switch (kind) {
            case 0 -> Arbitraries.of(Tier.class).set().ofMinSize(1).map(s -> node(n -> array(n, "tiers",
                    s.stream().map(t -> t.name().toLowerCase()).collect(Collectors.toList()))));
            case 1 -> Arbitraries.of(STORES).set().ofMinSize(1).map(s -> node(n -> array(n, "home_stores", List.copyOf(s))));
            case 2 -> Arbitraries.of(STORES).set().ofMinSize(1).map(s -> node(n -> array(n, "stores_visited", List.copyOf(s))));
            case 3 -> Arbitraries.integers().between(1, 12).map(m -> node(n -> n.put("birthday_month", m)));
            case 4 -> DAYS.map(d -> node(n -> n.put("last_visit_days_min", d)));
            case 5 -> DAYS.map(d -> node(n -> n.put("last_visit_days_max", d)));
            case 6 -> DAYS.map(d -> node(n -> n.put("last_visit_from", TODAY.minusDays(d).toString())));
            case 7 -> Arbitraries.of(SegmentTag.class).set().ofMinSize(1).map(s -> node(n -> array(n, "tags",
                    s.stream().map(t -> t.name().toLowerCase()).collect(Collectors.toList()))));
            case 13 -> Arbitraries.of(CUSTOM_TAGS).set().ofMinSize(1).ofMaxSize(2)
                    .flatMap(custom -> Arbitraries.of(SegmentTag.class).set().ofMaxSize(1)
                            .flatMap(auto -> Arbitraries.of(true, false).map(unheld -> node(n -> {
                                List<String> names = new ArrayList<>(custom);
                                auto.forEach(t -> names.add(t.name().toLowerCase()));
                                if (unheld) {
                                    names.add("无人");
                                }
                                array(n, "tags", names);
                            }))));
            case 8 -> Arbitraries.of(CATEGORIES).map(c -> node(n -> n.put("category", c)));
            case 9 -> Arbitraries.longs().between(0, 4_000).map(p -> node(n -> n.put("points_min", p)));
            case 10 -> Arbitraries.longs().between(0, 4_000).map(p -> node(n -> n.put("points_max", p)));
            case 11 -> Arbitraries.longs().between(0, 3_000).map(p -> node(n -> n.put("expiring_points_min", p)));
            case 12 -> Arbitraries.integers().between(0, 5).map(m -> node(n -> n.putObject("rfm_min").put("m", m)));
            default -> Arbitraries.just(node(n -> { }));
        });
        return one.list().ofMinSize(0).ofMaxSize(3).map(parts -> {
            ObjectNode all = JSON.createObjectNode();
            parts.forEach(all::setAll);
            return all;
        }).filter(SegmentProperties::wellFormed);
    }

    /** Bounds in order (a maximum below its minimum is refused with 400, checked in the contract tests). */
    private static boolean wellFormed(ObjectNode n) {
        try {
            Segment.parse(n);
            return true;
        } catch (OfficeException e) {
            return false;
        }
    }

    private static ObjectNode node(java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode n = JSON.createObjectNode();
        fill.accept(n);
        return n;
    }

    private static void array(ObjectNode n, String field, List<String> values) {
        ArrayNode a = n.putArray(field);
        values.forEach(a::add);
    }
}
