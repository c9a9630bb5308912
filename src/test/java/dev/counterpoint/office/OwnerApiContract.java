package dev.counterpoint.office;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The owner API over HTTP with a real owner key, on a head office whose clock stands at {@link #NOW}. Every refusal
 * is checked for its status, its message and that it changed nothing (no coupon, rule set or change-log row).
 */
abstract class OwnerApiContract {
    static final Instant NOW = Instant.parse("2026-03-10T02:00:00Z");
    private static final AtomicInteger TERMINAL_DBS = new AtomicInteger();
    private static final String RULES_V3 = """
            {"version": 3, "tierBasis": "SPEND", "tierThresholds": {"SILVER": 100000, "GOLD": 300000, "DIAMOND": 800000},
             "tierReviewDate": "01-01", "earnPermille": {"NORMAL": 1000, "SILVER": 1200, "GOLD": 1500, "DIAMOND": 2000},
             "pointsExpiry": "DAYS", "pointsLifetimeDays": 365, "pointsPerYuanRedeemed": 100, "pointsReminderDays": 30,
             "birthdayWindowDays": 7, "winBackAfterDays": 30, "welcomeWithinDays": 14, "historyDays": 90,
             "offlineAllowanceFen": 20000, "topUpBonuses": [{"minTopUpFen": 50000, "bonusFen": 5000}]}""";

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final HttpClient http = HttpClient.newHttpClient();
    private OfficeDatabase db;
    private OfficeServer server;
    private String ownerKey;

    /** A fresh, empty office database. */
    abstract OfficeDatabase newDatabase();

    @BeforeEach
    void startOffice() {
        db = newDatabase();
        server = new OfficeServer(db, Clock.fixed(NOW, ZoneOffset.UTC), json, 8);
        server.start("127.0.0.1", 0);
        ownerKey = server.ownerKeys().create("owner", java.util.EnumSet.allOf(OwnerKeys.Scope.class), java.time.Duration.ofDays(30));
        member("2900000000001", "NORMAL", null);
        member("2900000000002", "GOLD", null);
        member("2900000000003", "DIAMOND", null);
    }

    @AfterEach
    void stopOffice() {
        server.close();
        db.close();
    }

    // ---- rule sets ----

    @Test
    void aUsableRuleSetIsPublishedAndTheTerminalsReaderAcceptsIt() {
        Answer a = post("/v1/rule-sets", RULES_V3);

        assertThat(a.status()).isEqualTo(201);
        assertThat(a.body().toString()).isEqualTo("{\"version\":3}");
        assertThat(count("rule_set")).isEqualTo(1);
        assertThat(count("change_log WHERE kind = 'rule_set.published'")).isEqualTo(1);
        String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT body FROM rule_set").mapTo(String.class).one());
        assertThat(new RuleSetRepository(json).parse(stored).valid()).isTrue();
    }

    /** 2,000,000,000 per mille was published once, and every terminal that pulled it could run no command. */
    @Test
    void aRuleSetTheTerminalsWouldRefuseIsRefusedWithItsProblemsNamed() {
        Snapshot before = snapshot();

        Answer a = post("/v1/rule-sets", RULES_V3.replace("\"NORMAL\": 1000", "\"NORMAL\": 2000000000")
                .replace("\"pointsPerYuanRedeemed\": 100", "\"pointsPerYuanRedeemed\": 0"));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).startsWith("not a rule set the terminals can use: ")
                .contains("earnPermille.NORMAL: must be between 0 and 100,000.")
                .contains("pointsPerYuanRedeemed: must be between 1 and 10,000.");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(post("/v1/rule-sets", RULES_V3).status()).as("the version was not used up").isEqualTo(201);
    }

    @Test
    void aRuleSetWithAMissingFieldIsRefused() {
        Snapshot before = snapshot();

        Answer a = post("/v1/rule-sets", RULES_V3.replace("\"tierReviewDate\": \"01-01\",", ""));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).contains("tierReviewDate");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aRuleSetTheTerminalsCannotParseIsRefusedNamingTheField() {
        Snapshot before = snapshot();

        Answer wrongType = post("/v1/rule-sets", RULES_V3.replace("\"pointsLifetimeDays\": 365", "\"pointsLifetimeDays\": \"a year\""));
        Answer misspelt = post("/v1/rule-sets", RULES_V3.replace("\"historyDays\"", "\"historyDayz\""));
        Answer unknownField = post("/v1/rule-sets", RULES_V3.replace("\"historyDays\"", "\"earnPoints\": 1, \"historyDays\""));
        Answer badEnum = post("/v1/rule-sets", RULES_V3.replace("\"SPEND\"", "\"VISITS\""));

        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.error()).contains("pointsLifetimeDays: the value has the wrong type or is not allowed");
        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt.error()).contains("historyDays");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.error()).contains("earnPoints");
        assertThat(badEnum.status()).isEqualTo(400);
        assertThat(badEnum.error()).contains("tierBasis");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "3", "\"rules\"", "null"})
    void aRuleSetBodyThatIsNotAnObjectIsRefused(String body) {
        Snapshot before = snapshot();

        Answer a = post("/v1/rule-sets", body);

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).isEqualTo("the request body must be a JSON object");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aRuleSetVersionNotAboveTheLatestIsAConflict() {
        assertThat(post("/v1/rule-sets", RULES_V3).status()).isEqualTo(201);
        Snapshot before = snapshot();

        Answer a = post("/v1/rule-sets", RULES_V3);

        assertThat(a.status()).isEqualTo(409);
        assertThat(a.error()).isEqualTo("version 3 is not above the latest published or built-in (3)");
        assertThat(snapshot()).isEqualTo(before);
    }

    // ---- coupons ----

    @Test
    void aCouponIsIssuedAndAnnouncedOnTheFeed() {
        Answer a = post("/v1/coupons", coupon("2900000000001", "WELCOME", "2026-03-10", "2026-03-23"));

        assertThat(a.status()).isEqualTo(201);
        assertThat(fieldNames(a.body())).containsExactly("coupon_id", "code", "member_id", "template_id", "valid_from",
                "valid_until", "issued_at", "issued_by");
        assertThat(a.body().path("issued_by").asText()).isEqualTo("head-office");
        assertThat(a.body().path("code").asText()).startsWith("HQ");
        assertThat(a.body().path("template_id").asText()).isEqualTo("WELCOME");
        assertThat(count("coupon")).isEqualTo(1);
        assertThat(count("change_log WHERE kind = 'coupon.issued'")).isEqualTo(1);
    }

    /** Every store skipped a coupon whose template it does not have: head office refuses it instead. */
    @Test
    void aCouponFromAnUnknownTemplateIsRefused() {
        Snapshot before = snapshot();

        Answer a = post("/v1/coupons", coupon("2900000000001", "SUMMER_SALE", "2026-03-10", "2026-03-23"));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).isEqualTo("unknown template_id SUMMER_SALE; the templates are BEANS_10, BIRTHDAY, GOLD_PERK, "
                + "WELCOME, WIN_BACK");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-13-45\"", "\"10/03/2026\"", "\"\"", "20260310", "true", "{}", "\"+999999999-01-01\"",
            "\"1999-12-31\"", "\"2101-01-01\"", "\"2026-03-10 \"", "\"２０２６-03-10\""})
    void aBadValidFromIsRefusedNamingTheField(String value) {
        Snapshot before = snapshot();

        Answer a = post("/v1/coupons", """
                {"card_code": "2900000000001", "template_id": "WELCOME", "valid_from": %s, "valid_until": "2026-03-23"}"""
                .formatted(value));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).startsWith("valid_from must be a date written YYYY-MM-DD between 2000 and 2100");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"valid_from", "valid_until", "card_code", "template_id"})
    void aMissingFieldIsRefusedNamingIt(String field) {
        ObjectNode body = (ObjectNode) read(coupon("2900000000001", "WELCOME", "2026-03-10", "2026-03-23"));
        body.remove(field);
        Snapshot before = snapshot();

        Answer missing = post("/v1/coupons", body.toString());
        Answer isNull = post("/v1/coupons", body.putNull(field).toString());

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error()).isEqualTo(field + " is missing");
        assertThat(isNull.status()).isEqualTo(400);
        assertThat(isNull.error()).isEqualTo(field + " is missing");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"card_code", "template_id"})
    void aBlankOrNonTextCardOrTemplateIsRefused(String field) {
        ObjectNode body = (ObjectNode) read(coupon("2900000000001", "WELCOME", "2026-03-10", "2026-03-23"));
        Snapshot before = snapshot();

        Answer blank = post("/v1/coupons", body.put(field, "  ").toString());
        Answer number = post("/v1/coupons", body.put(field, 42).toString());

        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.error()).isEqualTo(field + " must be a non-empty string");
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.error()).isEqualTo(field + " must be a non-empty string");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"WELCOME\"", "null", ""})
    void aCouponBodyThatIsNotAnObjectIsRefused(String body) {
        Snapshot before = snapshot();

        Answer a = post("/v1/coupons", body);

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).isEqualTo("the request body must be a JSON object");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aCouponBodyThatIsNotJsonIsRefused() {
        Snapshot before = snapshot();

        Answer a = post("/v1/coupons", "{\"card_code\": ");

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).isEqualTo("the request body is not JSON");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aCouponForAnUnknownCardIsNotFound() {
        Snapshot before = snapshot();

        Answer a = post("/v1/coupons", coupon("2999999999999", "WELCOME", "2026-03-10", "2026-03-23"));

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.error()).isEqualTo("no member with card 2999999999999");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aGoldPerkIsRefusedToAStandardMember() {
        Snapshot before = snapshot();

        Answer a = post("/v1/coupons", coupon("2900000000001", "GOLD_PERK", "2026-03-10", "2026-04-08"));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).isEqualTo("template GOLD_PERK serves GOLD members and above; the member with card 2900000000001 is NORMAL");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aGoldPerkGoesToGoldAndDiamondMembers() {
        assertThat(post("/v1/coupons", coupon("2900000000002", "GOLD_PERK", "2026-03-10", "2026-04-08")).status()).isEqualTo(201);
        assertThat(post("/v1/coupons", coupon("2900000000003", "GOLD_PERK", "2026-03-10", "2026-04-08")).status()).isEqualTo(201);
        assertThat(count("coupon WHERE template_id = 'GOLD_PERK'")).isEqualTo(2);
    }

    /** A merged member's old card leads to the survivor: its tier decides, and the coupon is the survivor's. */
    @Test
    void theTierOfAMergedCardIsTheSurvivors() {
        UUID gold = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM member WHERE card_code = '2900000000002'")
                .mapTo(UUID.class).one());
        member("2900000000009", "NORMAL", gold);

        Answer a = post("/v1/coupons", coupon("2900000000009", "GOLD_PERK", "2026-03-10", "2026-04-08"));

        assertThat(a.status()).isEqualTo(201);
        assertThat(a.body().path("member_id").asText()).isEqualTo(gold.toString());
    }

    @Test
    void anInactiveTemplateIsRefused() {
        db.jdbi().useHandle(h -> h.execute("UPDATE coupon_template SET active = FALSE WHERE id = 'BEANS_10'"));
        Snapshot before = snapshot();

        Answer a = post("/v1/coupons", coupon("2900000000001", "BEANS_10", "2026-03-10", "2026-04-08"));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).isEqualTo("template BEANS_10 is not active");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aTemplateOutsideItsIssuingDatesIsRefused() {
        db.jdbi().useHandle(h -> h.execute("UPDATE coupon_template SET valid_from = DATE '2026-01-01', "
                + "valid_until = DATE '2026-02-28' WHERE id = 'BEANS_10'"));
        Snapshot before = snapshot();

        Answer a = post("/v1/coupons", coupon("2900000000001", "BEANS_10", "2026-03-10", "2026-04-08"));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).isEqualTo("template BEANS_10 may be issued only from 2026-01-01 until 2026-02-28 (today is 2026-03-10)");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aValidityWindowMustBeInOrderAtMostAYearAndNotOver() {
        Snapshot before = snapshot();

        Answer reversed = post("/v1/coupons", coupon("2900000000001", "WELCOME", "2026-03-23", "2026-03-10"));
        Answer tooLong = post("/v1/coupons", coupon("2900000000001", "WELCOME", "2026-03-10", "2027-03-11"));
        Answer over = post("/v1/coupons", coupon("2900000000001", "WELCOME", "2026-02-01", "2026-03-09"));

        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.error()).isEqualTo("valid_until is before valid_from");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).isEqualTo("the coupon would be valid for 367 days (valid_from to valid_until); at most 366");
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.error()).isEqualTo("valid_until 2026-03-09 is in the past (today is 2026-03-10 at head office, UTC)");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aWindowOfUpTo366DaysEndingTodayOrLaterIsIssued() {
        assertThat(post("/v1/coupons", coupon("2900000000001", "WELCOME", "2026-03-10", "2027-03-10")).status()).isEqualTo(201);
        assertThat(post("/v1/coupons", coupon("2900000000001", "WELCOME", "2026-03-01", "2026-03-10")).status()).isEqualTo(201);
        assertThat(post("/v1/coupons", coupon("2900000000001", "WELCOME", "2028-01-01", "2028-12-31")).status()).isEqualTo(201);
    }

    @Test
    void withoutTheOwnerKeyNothingIsIssued() {
        Snapshot before = snapshot();

        HttpResponse<String> r = send(HttpRequest.newBuilder(url("/v1/coupons")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(coupon("2900000000001", "WELCOME", "2026-03-10", "2026-03-23")))
                .build());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(snapshot()).isEqualTo(before);
    }

    // ---- exceptions ----

    @Test
    void exceptionsAreListedAllOrByState() {
        exception("COUPON_CONFLICT", "HQ0000000001", "OPEN", "2026-03-09T01:00:00Z");
        exception("MEMBER_MERGED", "0190c0de-0000-7000-8000-000000000001", "RESOLVED", "2026-03-09T02:00:00Z");

        Answer all = get("/v1/exceptions");
        Answer open = get("/v1/exceptions?state=OPEN");
        Answer resolved = get("/v1/exceptions?state=RESOLVED");

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().findValuesAsText("kind")).containsExactly("COUPON_CONFLICT", "MEMBER_MERGED");
        assertThat(fieldNames(all.body().get(0))).containsExactly("id", "kind", "subject", "detail", "state", "created_at",
                "updated_at", "resolved_by", "resolved_at", "resolution", "note");
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.body().findValuesAsText("subject")).containsExactly("HQ0000000001");
        assertThat(resolved.body().findValuesAsText("kind")).containsExactly("MEMBER_MERGED");
    }

    @Test
    void exceptionsArePagedWithALimitAndTheLastIdSeen() {
        for (int i = 0; i < 5; i++) {
            exception("COUPON_CONFLICT", "HQ000000000" + i, i % 2 == 0 ? "OPEN" : "RESOLVED", "2026-03-09T01:00:0" + i + "Z");
        }

        Answer first = get("/v1/exceptions?limit=2");
        assertThat(first.body().findValuesAsText("subject")).containsExactly("HQ0000000000", "HQ0000000001");
        Answer second = get("/v1/exceptions?limit=2&after=" + first.body().get(1).path("id").asText());
        assertThat(second.body().findValuesAsText("subject")).containsExactly("HQ0000000002", "HQ0000000003");
        Answer open = get("/v1/exceptions?state=OPEN&limit=2&after=" + first.body().get(0).path("id").asText());
        assertThat(open.body().findValuesAsText("subject")).containsExactly("HQ0000000002", "HQ0000000004");
        assertThat(fieldNames(open.body().get(0))).containsExactly("id", "kind", "subject", "detail", "state", "created_at",
                "updated_at", "resolved_by", "resolved_at", "resolution", "note");

        assertThat(get("/v1/exceptions?limit=0").error()).isEqualTo("limit must be between 1 and 500");
        assertThat(get("/v1/exceptions?limit=501").status()).isEqualTo(400);
        assertThat(get("/v1/exceptions?after=x").error()).isEqualTo("after must be an exception id, not x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLOSED", "open"})
    void anUnknownExceptionStateIsRefused(String state) {
        Answer a = get("/v1/exceptions?state=" + state);

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.error()).isEqualTo("state must be one of OPEN, RESOLVED, not " + state);
    }

    // ---- the template catalogue ----

    /** The rule sets every terminal ships with are copied into head office's migration: the two must not drift. */
    @Test
    void theOfficeHasTheTerminalsBuiltInRuleSets() throws Exception {
        Map<Integer, String> office = db.jdbi().withHandle(h -> h.createQuery("SELECT version, body FROM builtin_rule_set")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getString(2))).list())
                .stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Map<Integer, String> terminal;
        try (Database t = Database.inMemory("owner-api-terminal-" + TERMINAL_DBS.incrementAndGet())) {
            terminal = t.jdbi().withHandle(h -> h.createQuery("SELECT version, body FROM rule_set WHERE version <= 2")
                    .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getString(2))).list())
                    .stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        assertThat(office.keySet()).containsExactlyInAnyOrder(1, 2).isEqualTo(terminal.keySet());
        for (int v : office.keySet()) {
            assertThat(json.readTree(office.get(v))).as("rule set %d", v).isEqualTo(json.readTree(terminal.get(v)));
        }
    }

    /** Head office's catalogue is a copy of the terminals' built-in one (its own migration): the two must not drift. */
    @Test
    void theOfficeHasTheTerminalsBuiltInCouponTemplates() {
        String sql = "SELECT * FROM coupon_template ORDER BY id";
        List<Map<String, Object>> office = db.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
        List<Map<String, Object>> terminal;
        try (Database t = Database.inMemory("owner-api-terminal-" + TERMINAL_DBS.incrementAndGet())) {
            terminal = t.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
        }

        assertThat(office).hasSize(5).isEqualTo(terminal);
    }

    // ---- helpers ----

    private record Answer(int status, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }
    }

    /** What a refusal must leave as it was. */
    private record Snapshot(long coupons, long changes, long ruleSets, long lastSeq) {
    }

    private Snapshot snapshot() {
        return new Snapshot(count("coupon"), count("change_log"), count("rule_set"),
                db.jdbi().withHandle(h -> h.createQuery("SELECT last_seq FROM feed_lock").mapTo(Long.class).one()));
    }

    private long count(String tableAndCondition) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + tableAndCondition).mapTo(Long.class).one());
    }

    private void member(String card, String tier, UUID survivor) {
        UUID id = UUID.randomUUID();
        db.jdbi().useHandle(h -> {
            h.createUpdate("""
                    INSERT INTO member(id, card_code, display_name, tier, home_store, enrolled_at, enrolled_hlc, enrolled_via, status)
                    VALUES (:id, :card, :name, :tier, 'S001', :at, 1, 'COUNTER', 'ACTIVE')""")
                    .bind("id", id).bind("card", card).bind("name", "会员 " + card.substring(9)).bind("tier", tier)
                    .bind("at", OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC)).execute();
            if (survivor != null) {
                h.createUpdate("UPDATE member SET status = 'MERGED', survivor_id = :s WHERE id = :id")
                        .bind("s", survivor).bind("id", id).execute();
            }
        });
    }

    private void exception(String kind, String subject, String state, String at) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                INSERT INTO sync_exception(id, kind, subject, detail, state, created_at, updated_at)
                VALUES (:id, :kind, :subject, '{}', :state, :at, :at)""")
                .bind("id", UUID.randomUUID()).bind("kind", kind).bind("subject", subject).bind("state", state)
                .bind("at", OffsetDateTime.parse(at)).execute());
    }

    private static String coupon(String card, String template, String from, String until) {
        return """
                {"card_code": "%s", "template_id": "%s", "valid_from": "%s", "valid_until": "%s"}"""
                .formatted(card, template, from, until);
    }

    private Answer post(String path, String body) {
        return answer(send(HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + ownerKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build()));
    }

    private Answer get(String path) {
        return answer(send(HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + ownerKey).GET().build()));
    }

    private Answer answer(HttpResponse<String> r) {
        return new Answer(r.statusCode(), read(r.body()));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
