package dev.counterpoint.office;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.loyalty.SegmentTag;
import dev.counterpoint.loyalty.Segments;
import dev.counterpoint.protocol.TagName;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which members a campaign goes to, over head office's chain-wide facts (docs/api.md, "Segments"). Every field is
 * optional and they are ANDed; a list matches a member holding any of its values. An empty segment is every member.
 * Automatic tags, RFM scores and category affinity are the terminal's own ({@code loyalty.Segments}), from the member's
 * last 12 months at every store; days are business days in the chain's zone. {@code tags} on the wire holds automatic
 * and custom tag names alike: a name that is an automatic tag's (in any case) is one ({@code tags}), any other must be a
 * valid custom tag name ({@code customTags}; decision 0077), which a member matches while that tag is on.
 *
 * @param lastVisitDaysMin days since the last visit, at least (a member never seen has no last visit and matches no
 *                         visit condition)
 * @param expiringWithinDays the window {@code expiringPointsMin} counts in (default {@value #DEFAULT_EXPIRING_DAYS})
 */
public record Segment(List<SegmentTag> tags, List<String> customTags, List<Tier> tiers, List<String> homeStores, List<String> storesVisited,
                      LocalDate lastVisitFrom, LocalDate lastVisitTo, Integer lastVisitDaysMin, Integer lastVisitDaysMax,
                      Integer birthdayMonth, Long pointsMin, Long pointsMax, Long expiringPointsMin,
                      int expiringWithinDays, Rfm rfmMin, Rfm rfmMax, String category) {

    public static final int DEFAULT_EXPIRING_DAYS = 30;
    static final int MAX_LIST = 200;
    static final Set<String> FIELDS = Set.of("tags", "tiers", "home_stores", "stores_visited", "last_visit_from",
            "last_visit_to", "last_visit_days_min", "last_visit_days_max", "birthday_month", "points_min", "points_max",
            "expiring_points_min", "expiring_within_days", "rfm_min", "rfm_max", "category");

    /** RFM bounds: each score (0 to 5) that is given must be met. */
    public record Rfm(Integer r, Integer f, Integer m) {
    }

    public static final Segment EVERYONE = new Segment(List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null, null,
            null, null, null, null, DEFAULT_EXPIRING_DAYS, null, null, null);

    /**
     * What head office knows of one member (a merge's survivor, with the merged members' history). {@code profile} is
     * null when the segment asks for nothing derived from it; {@code customTags} holds the member's custom tags that
     * are on (those the segment names, at least).
     */
    public record Facts(java.util.UUID memberId, Tier tier, String homeStore, LocalDate birthday, LocalDate lastVisit,
                        Set<String> storesVisited, Segments.Profile profile, long points, long expiringPoints,
                        Set<String> customTags) {
    }

    /** Whether the facts read from purchases are needed (and which ones). */
    boolean needsPurchases() {
        return !storesVisited.isEmpty() || needsVisitDates() || needsProfile();
    }

    boolean needsVisitDates() {
        return lastVisitFrom != null || lastVisitTo != null || lastVisitDaysMin != null || lastVisitDaysMax != null;
    }

    /** Whether the members' custom tags are needed. */
    boolean needsCustomTags() {
        return !customTags.isEmpty();
    }

    boolean needsProfile() {
        return !tags.isEmpty() || rfmMin != null || rfmMax != null || category != null;
    }

    boolean needsPoints() {
        return pointsMin != null || pointsMax != null || expiringPointsMin != null;
    }

    /** Whether the member's facts match every condition given. */
    public boolean matches(Facts f, LocalDate today) {
        if (!tiers.isEmpty() && !tiers.contains(f.tier())) {
            return false;
        }
        if (!homeStores.isEmpty() && !homeStores.contains(f.homeStore())) {
            return false;
        }
        if (birthdayMonth != null && (f.birthday() == null || f.birthday().getMonthValue() != birthdayMonth)) {
            return false;
        }
        if (!storesVisited.isEmpty() && storesVisited.stream().noneMatch(f.storesVisited()::contains)) {
            return false;
        }
        if (needsVisitDates()) {
            LocalDate last = f.lastVisit();
            if (last == null
                    || lastVisitFrom != null && last.isBefore(lastVisitFrom)
                    || lastVisitTo != null && last.isAfter(lastVisitTo)
                    || lastVisitDaysMin != null && ChronoUnit.DAYS.between(last, today) < lastVisitDaysMin
                    || lastVisitDaysMax != null && ChronoUnit.DAYS.between(last, today) > lastVisitDaysMax) {
                return false;
            }
        }
        // One list on the wire: a member holding any of its tags, automatic or custom, matches.
        if ((!tags.isEmpty() || !customTags.isEmpty())
                && tags.stream().noneMatch(t -> f.profile() != null && f.profile().tags().contains(t))
                && customTags.stream().noneMatch(f.customTags()::contains)) {
            return false;
        }
        if (needsProfile()) {
            Segments.Profile p = f.profile();
            if (rfmMin != null && !(atLeast(p.rfm().recency(), rfmMin.r()) && atLeast(p.rfm().frequency(), rfmMin.f())
                    && atLeast(p.rfm().monetary(), rfmMin.m()))) {
                return false;
            }
            if (rfmMax != null && !(atLeast(rfmMax.r(), p.rfm().recency()) && atLeast(rfmMax.f(), p.rfm().frequency())
                    && atLeast(rfmMax.m(), p.rfm().monetary()))) {
                return false;
            }
            if (category != null && !p.affinity().contains(category)) {
                return false;
            }
        }
        if (pointsMin != null && f.points() < pointsMin || pointsMax != null && f.points() > pointsMax) {
            return false;
        }
        return expiringPointsMin == null || f.expiringPoints() >= expiringPointsMin;
    }

    /** {@code a >= b}, a null bound always met. */
    private static boolean atLeast(Integer a, Integer b) {
        return a == null || b == null || a >= b;
    }

    /** Reads a segment, strictly: an unknown field, a wrong type or an out-of-range value is a 400 naming it. */
    public static Segment parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return EVERYONE;
        }
        if (!node.isObject()) {
            throw bad("segment must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw bad("segment." + name + " is not a segment field; the fields are " + String.join(", ",
                        FIELDS.stream().sorted().toList()));
            }
        }
        List<SegmentTag> tags = new ArrayList<>();
        List<String> customTags = new ArrayList<>();
        for (String t : strings(node, "tags", 20)) {
            if (TagName.isAutomatic(t)) {
                tags.add(SegmentTag.valueOf(t.strip().toUpperCase(Locale.ROOT)));
                continue;
            }
            String custom = TagName.normalise(t);
            Optional<TagName.Problem> problem = TagName.problem(custom);
            if (problem.isPresent()) {
                throw bad("segment.tags: " + t + " is not an automatic tag (" + Arrays.stream(SegmentTag.values())
                        .map(x -> x.name().toLowerCase(Locale.ROOT)).toList() + ") and not a custom tag: it "
                        + TagName.describe(problem.get()));
            }
            customTags.add(custom);
        }
        List<Tier> tiers = new ArrayList<>();
        for (String t : strings(node, "tiers", 10)) {
            try {
                tiers.add(Tier.valueOf(t.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw bad("segment.tiers: " + t + " is not a tier; the tiers are " + Arrays.stream(Tier.values())
                        .map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
            }
        }
        List<String> home = stores(node, "home_stores");
        List<String> visited = stores(node, "stores_visited");
        LocalDate from = date(node, "last_visit_from");
        LocalDate to = date(node, "last_visit_to");
        if (from != null && to != null && to.isBefore(from)) {
            throw bad("segment.last_visit_to is before last_visit_from");
        }
        Integer daysMin = integer(node, "last_visit_days_min", 0, 36_600);
        Integer daysMax = integer(node, "last_visit_days_max", 0, 36_600);
        if (daysMin != null && daysMax != null && daysMax < daysMin) {
            throw bad("segment.last_visit_days_max is below last_visit_days_min");
        }
        Integer month = integer(node, "birthday_month", 1, 12);
        Long pointsMin = longValue(node, "points_min");
        Long pointsMax = longValue(node, "points_max");
        if (pointsMin != null && pointsMax != null && pointsMax < pointsMin) {
            throw bad("segment.points_max is below points_min");
        }
        Long expiring = longValue(node, "expiring_points_min");
        Integer within = integer(node, "expiring_within_days", 0, 366);
        String category = null;
        JsonNode c = node.get("category");
        if (c != null && !c.isNull()) {
            if (!c.isTextual() || c.asText().isBlank() || c.asText().length() > 64) {
                throw bad("segment.category must be a category name of 1 to 64 characters");
            }
            category = c.asText().strip();
        }
        return new Segment(List.copyOf(tags), List.copyOf(customTags), List.copyOf(tiers), home, visited, from, to, daysMin, daysMax, month, pointsMin,
                pointsMax, expiring, within == null ? DEFAULT_EXPIRING_DAYS : within, rfm(node, "rfm_min"),
                rfm(node, "rfm_max"), category);
    }

    private static OfficeException bad(String message) {
        return new OfficeException(400, message);
    }

    private static List<String> strings(JsonNode node, String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > max) {
            throw bad("segment." + field + " must be a list of at most " + max + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw bad("segment." + field + " must be a list of non-empty strings");
            }
            out.add(e.asText().strip());
        }
        return List.copyOf(out);
    }

    private static List<String> stores(JsonNode node, String field) {
        List<String> out = strings(node, field, MAX_LIST);
        for (String s : out) {
            if (!s.matches("[A-Za-z0-9_.-]{1,32}")) {
                throw bad("segment." + field + ": " + s + " is not a store id");
            }
        }
        return out;
    }

    private static LocalDate date(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual() && OfficeDates.day(v.asText()).isPresent()) {
            return OfficeDates.day(v.asText()).get();
        }
        throw bad("segment." + field + " must be a date written YYYY-MM-DD between " + OfficeDates.FIRST_YEAR + " and "
                + OfficeDates.LAST_YEAR);
    }

    private static Integer integer(JsonNode node, String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw bad("segment." + field + " must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    private static Long longValue(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw bad("segment." + field + " must be a whole number of 0 or more");
        }
        return v.asLong();
    }

    private static Rfm rfm(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw bad("segment." + field + " must be an object with r, f and/or m");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            String k = it.next().getKey();
            if (!Set.of("r", "f", "m").contains(k)) {
                throw bad("segment." + field + "." + k + " is not a score; the scores are r, f and m");
            }
        }
        return new Rfm(integer(v, "r", 0, 5), integer(v, "f", 0, 5), integer(v, "m", 0, 5));
    }
}
