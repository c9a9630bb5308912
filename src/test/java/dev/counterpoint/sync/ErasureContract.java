package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.EnrolmentConsent;
import dev.counterpoint.member.Member;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.testing.Traces;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure of a member's personal data (decision 0044) end to end: a head office and two stores over loopback HTTP. The
 * member enrolled at S001 with consent, bought an item, topped up, and S002 holds their history. After an erasure (the
 * owner's, or a manager's at a till) and a sync of both stores, the name, phone, birthday and item appear nowhere, in
 * no table of any of the three databases, feeds, inboxes and outboxes included; the ledgers still add up; and nothing
 * that arrives later brings the data back. Run against H2 and PostgreSQL by the subclasses.
 */
abstract class ErasureContract {
    static final String NAME = "林雨桐";
    static final String EDITED_NAME = "林雨桐改";
    static final String PHONE = "13912342468";
    static final String MASKED = "139****2468";
    static final LocalDate BIRTHDAY = LocalDate.of(1991, 4, 5);
    static final String SKU = "TEA-LIN-ONLY";
    static final String CATEGORY = "私房茶";

    @TempDir
    Path tmp;
    OfficeHarness office;
    TerminalWiring a;
    TerminalWiring b;
    Member lin;
    String phoneHmac;
    String phoneBox;
    String ownerKey;
    final HttpClient http = HttpClient.newHttpClient();

    abstract OfficeHarness newOffice();

    @BeforeEach
    void start() {
        office = newOffice();
        ownerKey = office.server.ownerKeys().create("owner", java.util.EnumSet.allOf(dev.counterpoint.office.OwnerKeys.Scope.class), java.time.Duration.ofDays(30));
        TestClock clockA = OfficeHarness.clockAt(OfficeHarness.START);
        a = office.terminal(tmp.resolve("a"), "S001", "T1", clockA);
        b = office.terminal(tmp.resolve("b"), "S002", "T1", OfficeHarness.clockAt(OfficeHarness.START));
        lin = a.memberService().enrol(NAME, PHONE, BIRTHDAY, new EnrolmentConsent(true, true, false));
        a.checkoutService().recordSale(lin.id(), null, List.of(new PurchaseLine(SKU, CATEGORY, 1, 12_000)));
        a.checkoutService().topUp(lin.id(), 50_000L);
        a.couponService().issueManual(lin.id(), "BEANS_10", "店长");
        phoneHmac = a.database().jdbi().withHandle(h -> h.createQuery("SELECT phone_hmac FROM member WHERE id = :id")
                .bind("id", lin.id()).mapTo(String.class).one());
        engine(a).syncOnce();
        engine(b).syncOnce();
        assertThat(engine(b).fetchHistory(lin.id())).as("S002 keeps the member's history").isTrue();
        // Before the erasure, every database holds the member's data: the searches below look where it is.
        for (TerminalWiring t : List.of(a, b)) {
            assertThat(Traces.of(t.database().jdbi(), NAME, SKU, MASKED, BIRTHDAY.toString())).isNotEmpty();
        }
        assertThat(Traces.of(office.jdbi(), NAME, SKU, MASKED, phoneHmac)).isNotEmpty();
        // The full number reached head office only in its box, which no table holds in the clear.
        phoneBox = office.jdbi().withHandle(h -> h.createQuery("SELECT phone_box FROM member WHERE id = :id")
                .bind("id", lin.id()).mapTo(String.class).one());
        assertThat(phoneBox).isNotNull();
        assertThat(Traces.of(office.jdbi(), PHONE)).isEmpty();
        assertThat(Traces.of(a.database().jdbi(), PHONE)).isEmpty();
    }

    @AfterEach
    void stop() {
        office.close();
    }

    @Test
    void anErasureAtHeadOfficeLeavesNoTraceAnywhereOnceBothStoresSyncAndTheLedgersStay() throws Exception {
        long points = OfficeSyncContract.points(a, lin.id());
        long fen = OfficeSyncContract.storedValue(a, lin.id());
        // S002 edited the name offline before it heard of the erasure: its edit reaches head office after it.
        b.memberService().updateProfile(lin.id(), EDITED_NAME, null);

        Answer erased = post("/v1/members/" + lin.cardCode() + "/erase");
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.body().path("erased").asBoolean()).isTrue();
        assertThat(erased.body().path("member_ids").get(0).asText()).isEqualTo(lin.id().toString());
        engine(a).syncOnce();
        engine(b).syncOnce();

        assertNoTrace();
        // The late edit was refused at head office with its reason, and did not bring the name back anywhere.
        String verdict = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT verdict || ': ' || detail FROM inbox WHERE type = 'member.updated'").mapTo(String.class).one());
        assertThat(verdict).startsWith("REJECTED: member " + lin.id() + " was erased");
        assertThat(b.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'member.updated' AND verdict = 'REJECTED'"))
                .isEqualTo(1);
        // What stays: the card, known to be erased, and its balances, at head office and at both stores.
        for (TerminalWiring t : List.of(a, b)) {
            assertThat(t.memberService().findByCode(lin.cardCode())).isEmpty();
            assertThat(t.memberService().erasedCard(lin.cardCode())).isPresent();
            assertThat(OfficeSyncContract.points(t, lin.id())).isEqualTo(points);
            assertThat(OfficeSyncContract.storedValue(t, lin.id())).isEqualTo(fen);
            assertThat(t.database().queryLong("SELECT COUNT(*) FROM purchase WHERE member_id = '" + lin.id() + "'"))
                    .as("the sale's total stays").isEqualTo(1);
        }
        assertThat(owner().issueCouponStatus(lin.cardCode())).as("no coupon for an erased card").isEqualTo(409);
        JsonNode summary = get("/v1/members/" + lin.cardCode()).body();
        assertThat(summary.path("erased").asBoolean()).isTrue();
        assertThat(summary.path("name").isNull()).isTrue();
        assertThat(summary.path("points").asLong()).isEqualTo(points);
        assertThat(summary.path("stored_value_fen").asLong()).isEqualTo(fen);
    }

    @Test
    void anErasureAtATillReachesHeadOfficeAndTheOtherStoreAndNoLaterSyncUndoesIt() {
        a.memberService().erase(lin.id(), "店长");
        assertThat(a.memberService().erasedCard(lin.cardCode())).isPresent();
        engine(a).syncOnce();
        engine(b).syncOnce();
        engine(a).syncOnce();

        assertNoTrace();
        assertThat(b.memberService().erasedCard(lin.cardCode())).isPresent();
        // The store's erasure was taken as sent: its event holds no personal data either.
        assertThat(a.database().queryLong("SELECT COUNT(*) FROM outbox_event WHERE type = 'member.erased' AND verdict = 'ACCEPTED'"))
                .isEqualTo(1);
        // Syncing again changes nothing: the erased card stays erased.
        engine(b).syncOnce();
        engine(a).syncOnce();
        assertNoTrace();
    }

    @Test
    void theAccessExportHoldsEverythingAndAfterErasureOnlyTheAnonymousLedgers() throws Exception {
        Answer export = get("/v1/members/" + lin.cardCode() + "/export");
        assertThat(export.status()).isEqualTo(200);
        ObjectNode doc = (ObjectNode) export.body();
        assertThat(fieldNames(doc)).containsExactly("exported_at", "member_id", "card_code", "erased", "erased_at", "profile",
                "tier", "marketing_consent", "consent", "custom_tags", "tier_reviews", "balances", "ledgers", "purchases",
                "coupons");
        assertThat(fieldNames(doc.path("profile"))).containsExactly("name", "phone_masked", "phone", "birthday", "home_store",
                "enrolled_at", "enrolled_via", "status", "alias_cards");
        assertThat(doc.path("profile").path("name").asText()).isEqualTo(NAME);
        assertThat(doc.path("profile").path("phone").asText()).as("opened from its box for the member's own request")
                .isEqualTo(PHONE);
        assertThat(doc.path("profile").path("phone_masked").asText()).isEqualTo(MASKED);
        assertThat(doc.path("profile").path("birthday").asText()).isEqualTo(BIRTHDAY.toString());
        assertThat(doc.path("marketing_consent").asBoolean()).isTrue();
        List<String> consent = new ArrayList<>();
        doc.path("consent").forEach(c -> consent.add(c.path("channel").asText() + "=" + c.path("granted").asBoolean()
                + "@" + c.path("store_id").asText() + "/" + c.path("terminal_id").asText()));
        assertThat(consent).containsExactly("MARKETING_SMS=true@S001/T1", "MARKETING_WECHAT=false@S001/T1",
                "PRIVACY_NOTICE=true@S001/T1");
        assertThat(doc.path("balances").path("points").asLong()).isEqualTo(120);
        assertThat(doc.path("balances").path("stored_value_fen").asLong()).isEqualTo(50_000 + 5_000);
        assertThat(doc.path("ledgers").path("points")).hasSize(1);
        assertThat(doc.path("ledgers").path("stored_value")).hasSize(2);
        JsonNode purchase = doc.path("purchases").get(0);
        assertThat(purchase.path("total_fen").asLong()).isEqualTo(12_000);
        assertThat(purchase.path("lines").get(0).path("sku").asText()).isEqualTo(SKU);
        assertThat(doc.path("coupons")).isNotEmpty();
        ObjectNode again = (ObjectNode) get("/v1/members/" + lin.cardCode() + "/export").body();
        ObjectNode first = doc.deepCopy();
        assertThat(again.without("exported_at").toString()).as("the same data exports as the same text")
                .isEqualTo(first.without("exported_at").toString());
        assertThat(get("/v1/members/2999999999994/export").status()).isEqualTo(404);

        post("/v1/members/" + lin.cardCode() + "/erase");
        JsonNode after = get("/v1/members/" + lin.cardCode() + "/export").body();
        assertThat(after.path("erased").asBoolean()).isTrue();
        assertThat(after.path("profile").path("name").isNull()).isTrue();
        assertThat(after.path("profile").path("phone_masked").isNull()).isTrue();
        assertThat(after.path("profile").path("phone").isNull()).isTrue();
        assertThat(after.path("profile").path("birthday").isNull()).isTrue();
        assertThat(after.path("consent")).isEmpty();
        assertThat(after.path("marketing_consent").asBoolean()).isFalse();
        assertThat(after.path("purchases").get(0).path("total_fen").asLong()).isEqualTo(12_000);
        assertThat(after.path("purchases").get(0).path("lines")).isEmpty();
        assertThat(after.path("balances")).isEqualTo(doc.path("balances"));
        assertThat(after.toString()).doesNotContain(NAME, SKU, MASKED, PHONE);
    }

    @Test
    void aCardMergedIntoTheMemberIsTheSamePersonAndIsErasedWithItOnce() {
        // A third store that had not heard of the member enrols the same phone: head office merges it into the member.
        TerminalWiring c = office.terminal(tmp.resolve("c"), "S003", "T1", OfficeHarness.clockAt(OfficeHarness.START));
        Member twin = c.memberService().enrol(NAME + "乙", PHONE, null);
        engine(c).syncOnce();
        engine(a).syncOnce();
        engine(b).syncOnce();
        assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND status = 'MERGED'", twin.id())).isEqualTo(1);

        Answer erased = post("/v1/members/" + twin.cardCode() + "/erase");
        assertThat(erased.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        erased.body().path("member_ids").forEach(id -> ids.add(id.asText()));
        assertThat(ids).containsExactly(lin.id().toString(), twin.id().toString());
        for (TerminalWiring t : List.of(a, b, c)) {
            engine(t).syncOnce();
        }
        assertNoTrace();
        assertThat(Traces.of(c.database().jdbi(), NAME, MASKED, phoneHmac)).as("S003").isEmpty();
        assertThat(c.memberService().erasedCard(twin.cardCode())).isPresent();
        assertThat(c.memberService().erasedCard(lin.cardCode())).isPresent();

        // Asked again, the erasure answers the same and puts nothing new on the feed.
        long feed = office.officeLong("SELECT last_seq FROM feed_lock");
        Answer again = post("/v1/members/" + lin.cardCode() + "/erase");
        assertThat(again.body().path("erased_at")).isEqualTo(erased.body().path("erased_at"));
        assertThat(office.officeLong("SELECT last_seq FROM feed_lock")).isEqualTo(feed);
    }

    @Test
    void anEraseOfAnUnknownCardIsNotFoundAndTheOwnerKeyIsRequired() throws Exception {
        assertThat(post("/v1/members/2999999999994/erase").status()).isEqualTo(404);
        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(office.url().resolve("/v1/members/" + lin.cardCode() + "/erase"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(a.memberService().findByCode(lin.cardCode())).isPresent();
    }

    /** No trace of the member's data in any table of head office or either store. */
    private void assertNoTrace() {
        String[] needles = {NAME, EDITED_NAME, SKU, CATEGORY, MASKED, phoneHmac, phoneBox, BIRTHDAY.toString()};
        assertThat(Traces.tables(office.jdbi())).isGreaterThan(15);
        assertThat(Traces.of(office.jdbi(), needles)).as("head office").isEmpty();
        assertThat(Traces.of(a.database().jdbi(), needles)).as("S001").isEmpty();
        assertThat(Traces.of(b.database().jdbi(), needles)).as("S002").isEmpty();
    }

    record Answer(int status, JsonNode body) {
    }

    /** The owner API's coupon issue, as an integration calls it. */
    private Owner owner() {
        return new Owner();
    }

    private final class Owner {
        int issueCouponStatus(String card) {
            // Head office runs on the real clock here, and refuses a coupon that ends before its today.
            LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
            return send(HttpRequest.newBuilder(office.url().resolve("/v1/coupons")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"card_code\": \"" + card + "\", \"template_id\": \"WELCOME\","
                            + " \"valid_from\": \"" + today + "\", \"valid_until\": \"" + today.plusDays(30) + "\"}"))).status();
        }
    }

    private Answer post(String path) {
        return send(HttpRequest.newBuilder(office.url().resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer get(String path) {
        return send(HttpRequest.newBuilder(office.url().resolve(path)).GET());
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.header("Authorization", "Bearer " + ownerKey).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), office.json.readTree(r.body()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
