package dev.counterpoint.office;

import dev.counterpoint.loyalty.PointLots;
import dev.counterpoint.loyalty.Segments;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The members a {@link Segment} selects, from head office's tables: the member's own fields are filtered by the
 * database; visits, tags (custom ones from {@code member_tag}, by its tag index), RFM, affinity and points are read only
 * when the segment asks for them, each with one query over the chain, and judged by {@link Segment#matches}. Members merged into another count as their survivor;
 * erased members are never selected.
 */
final class SegmentSelection {
    private SegmentSelection() {}

    private record Base(UUID id, Tier tier, String homeStore, LocalDate birthday, Optional<LocalDate> joined) {
    }

    /** The survivors the segment selects on {@code today}, by id. */
    static List<UUID> select(Handle h, Segment s, LocalDate today, ZoneId zone) {
        Map<UUID, Base> base = base(h, s, zone);
        if (!s.needsPurchases() && !s.needsPoints() && !s.needsCustomTags()) {
            return new ArrayList<>(base.keySet());
        }
        Map<UUID, Set<String>> customTags = s.needsCustomTags() ? customTags(h, s.customTags(), base) : Map.of();
        Map<UUID, LocalDate> lastVisit = new HashMap<>();
        Map<UUID, Set<String>> stores = new HashMap<>();
        Map<UUID, List<Segments.Visit>> year = new HashMap<>();
        if (s.needsPurchases()) {
            purchases(h, s, base, today, zone, lastVisit, stores, year);
        }
        Map<UUID, List<PointLots.Entry>> entries = s.needsPoints() ? points(h, base) : Map.of();
        List<UUID> out = new ArrayList<>();
        for (Base b : base.values()) {
            Segments.Profile profile = s.needsProfile()
                    ? Segments.derive(year.getOrDefault(b.id(), List.of()), Optional.ofNullable(lastVisit.get(b.id())),
                    b.joined(), today) : null;
            long points = 0;
            long expiring = 0;
            if (s.needsPoints()) {
                List<PointLots.Entry> mine = entries.getOrDefault(b.id(), List.of());
                points = mine.stream().mapToLong(PointLots.Entry::delta).sum();
                LocalDate limit = today.plusDays(s.expiringWithinDays());
                expiring = PointLots.replay(mine).stream()
                        .filter(l -> l.expiresOn() != null && !l.expiresOn().isBefore(today) && !l.expiresOn().isAfter(limit))
                        .mapToLong(PointLots.Lot::remaining).sum();
            }
            Segment.Facts f = new Segment.Facts(b.id(), b.tier(), b.homeStore(), b.birthday(), lastVisit.get(b.id()),
                    stores.getOrDefault(b.id(), Set.of()), profile, points, expiring,
                    customTags.getOrDefault(b.id(), Set.of()));
            if (s.matches(f, today)) {
                out.add(b.id());
            }
        }
        return out;
    }

    /**
     * Which of {@code tags} each selected member has on, from the office's {@code member_tag} by its tag index; a tag
     * set on a member merged into another counts for the survivor, as its purchases do.
     */
    private static Map<UUID, Set<String>> customTags(Handle h, List<String> tags, Map<UUID, Base> base) {
        Map<UUID, Set<String>> out = new HashMap<>();
        h.createQuery("""
                SELECT COALESCE(m.survivor_id, m.id), t.tag FROM member_tag t JOIN member m ON m.id = t.member_id
                WHERE t.tag IN (<tags>) AND t.tag_on""")
                .bindList("tags", tags).setFetchSize(10_000)
                .map((rs, ctx) -> {
                    UUID owner = rs.getObject(1, UUID.class);
                    if (base.containsKey(owner)) {
                        out.computeIfAbsent(owner, k -> new HashSet<>()).add(rs.getString(2));
                    }
                    return owner;
                }).forEach(x -> { });
        return out;
    }

    /** The custom tags among {@code tags} that no member who is not erased holds on (the preview names them). */
    static List<String> heldByNone(Handle h, List<String> tags) {
        if (tags.isEmpty()) {
            return List.of();
        }
        Set<String> held = new HashSet<>(h.createQuery("""
                SELECT DISTINCT t.tag FROM member_tag t JOIN member m ON m.id = t.member_id
                WHERE t.tag IN (<tags>) AND t.tag_on AND m.erased_at IS NULL""")
                .bindList("tags", tags).mapTo(String.class).list());
        return tags.stream().filter(t -> !held.contains(t)).distinct().toList();
    }

    /** The segment's members' own fields, filtered in the database: tier, home store and birthday month. */
    private static Map<UUID, Base> base(Handle h, Segment s, ZoneId zone) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, tier, home_store, birthday, enrolled_at, enrolled_via FROM member
                WHERE survivor_id IS NULL AND erased_at IS NULL""");
        if (!s.tiers().isEmpty()) {
            sql.append(" AND tier IN (<tiers>)");
        }
        if (!s.homeStores().isEmpty()) {
            sql.append(" AND home_store IN (<homes>)");
        }
        if (s.birthdayMonth() != null) {
            sql.append(" AND EXTRACT(MONTH FROM birthday) = :month");
        }
        sql.append(" ORDER BY id");
        Query q = h.createQuery(sql.toString());
        if (!s.tiers().isEmpty()) {
            q.bindList("tiers", s.tiers().stream().map(Tier::name).toList());
        }
        if (!s.homeStores().isEmpty()) {
            q.bindList("homes", s.homeStores());
        }
        if (s.birthdayMonth() != null) {
            q.bind("month", s.birthdayMonth());
        }
        Map<UUID, Base> out = new LinkedHashMap<>();
        q.setFetchSize(10_000).map((rs, ctx) -> {
            UUID id = rs.getObject(1, UUID.class);
            boolean imported = EnrolmentSource.IMPORT.name().equals(rs.getString(6));
            out.put(id, new Base(id, Tier.valueOf(rs.getString(2)), rs.getString(3), rs.getObject(4, LocalDate.class),
                    imported ? Optional.empty()
                            : Optional.of(rs.getObject(5, OffsetDateTime.class).atZoneSameInstant(zone).toLocalDate())));
            return id;
        }).forEach(id -> { });
        return out;
    }

    /** Visits (purchases) of the selected members: the last day and stores ever, and the last 12 months with categories. */
    private static void purchases(Handle h, Segment s, Map<UUID, Base> base, LocalDate today, ZoneId zone,
                                  Map<UUID, LocalDate> lastVisit, Map<UUID, Set<String>> stores,
                                  Map<UUID, List<Segments.Visit>> year) {
        OffsetDateTime yearAgo = today.minusYears(1).atStartOfDay(zone).toOffsetDateTime();
        Map<UUID, List<String>> categories = new HashMap<>();
        if (s.needsProfile()) {
            h.createQuery("""
                    SELECT l.purchase_id, l.category FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id
                    WHERE p.purchased_at >= :since AND l.category IS NOT NULL""")
                    .bind("since", yearAgo).setFetchSize(10_000)
                    .map((rs, ctx) -> categories.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(rs.getString(2)))
                    .forEach(x -> { });
        }
        // A voided sale is no visit; a refund leaves the visit with what the member kept.
        h.createQuery("""
                SELECT COALESCE(m.survivor_id, m.id), p.id, p.store_id, p.purchased_at, p.total_fen - p.refunded_fen
                FROM purchase p JOIN member m ON m.id = p.member_id
                WHERE NOT\s""" + CheckoutProjection.VOIDED_PURCHASE)
                .setFetchSize(10_000)
                .map((rs, ctx) -> {
                    UUID owner = rs.getObject(1, UUID.class);
                    if (!base.containsKey(owner)) {
                        return owner;
                    }
                    OffsetDateTime at = rs.getObject(4, OffsetDateTime.class);
                    LocalDate day = at.atZoneSameInstant(zone).toLocalDate();
                    lastVisit.merge(owner, day, (a, b) -> a.isAfter(b) ? a : b);
                    stores.computeIfAbsent(owner, k -> new HashSet<>()).add(rs.getString(3));
                    if (s.needsProfile() && !at.isBefore(yearAgo)) {
                        year.computeIfAbsent(owner, k -> new ArrayList<>()).add(new Segments.Visit(day, rs.getLong(5),
                                categories.getOrDefault(rs.getObject(2, UUID.class), List.of())));
                    }
                    return owner;
                }).forEach(x -> { });
    }

    /** The selected members' points entries in the order they were written, as a terminal replays them. */
    private static Map<UUID, List<PointLots.Entry>> points(Handle h, Map<UUID, Base> base) {
        Map<UUID, List<PointLots.Entry>> out = new HashMap<>();
        h.createQuery("""
                SELECT COALESCE(m.survivor_id, m.id), e.id, e.delta, e.lot_expires_on, e.ref_id
                FROM points_entry e JOIN member m ON m.id = e.member_id ORDER BY e.created_at, e.id""")
                .setFetchSize(10_000)
                .map((rs, ctx) -> {
                    UUID owner = rs.getObject(1, UUID.class);
                    if (base.containsKey(owner)) {
                        out.computeIfAbsent(owner, k -> new ArrayList<>()).add(new PointLots.Entry(rs.getObject(2, UUID.class),
                                rs.getLong(3), rs.getObject(4, LocalDate.class), rs.getObject(5, UUID.class)));
                    }
                    return owner;
                }).forEach(x -> { });
        return out;
    }
}
