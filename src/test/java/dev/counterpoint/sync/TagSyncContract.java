package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.wiring.TerminalWiring;
import dev.counterpoint.checkout.CheckoutRequest;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OwnerKeys;
import dev.counterpoint.protocol.StaffRole;
import dev.counterpoint.staff.Staff;
import dev.counterpoint.testing.TestClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom tags set at two stores offline, at once and in either push order, end the same at head office and at every
 * store that keeps the member; a store that comes to keep the member receives them; the owner's change wins until a
 * store's later one; two stores adding at once never give a member more than 20 tags anywhere (decision 0077).
 */
abstract class TagSyncContract {
    @TempDir
    Path tmp;
    OfficeHarness office;
    TestClock clock;
    TerminalWiring s1;
    TerminalWiring s2;
    TerminalWiring s3;
    Staff li;
    Staff zhang;
    Staff wu;
    Member m;

    abstract OfficeDatabase newDatabase();

    @BeforeEach
    void threeStores() {
        clock = OfficeHarness.clockAt(OfficeHarness.START);
        office = new OfficeHarness(newDatabase(), 8, clock);
        s1 = office.terminal(tmp.resolve("s1"), "S1", "T1", clock);
        s2 = office.terminal(tmp.resolve("s2"), "S2", "T1", clock);
        s3 = office.terminal(tmp.resolve("s3"), "S3", "T1", clock);
        li = s1.staffAccounts().addFirst("li", "李店长", StaffRole.MANAGER, "246810");
        zhang = s2.staffAccounts().addFirst("zhang", "张店长", StaffRole.MANAGER, "135790");
        wu = s3.staffAccounts().addFirst("wu", "吴店长", StaffRole.MANAGER, "975310");
        m = s1.memberService().enrol("林雨桐", "13800000001", null);
        sync(s1, s2, s3);
        s2.checkouts().complete(new CheckoutRequest(m.id(), 3_000L, List.of(), CheckoutRequest.CouponChoice.NONE, 0, 0),
                zhang); // m is now kept by S1 and S2, not by S3
        sync(s2, s1, s3);
    }

    @AfterEach
    void stop() {
        office.close();
    }

    @Test
    void twoStoresSettingAndUnsettingTheSameTagsOfflineEndTheSameEverywhereWhicheverPushesFirst() {
        clock.advance(Duration.ofSeconds(1));
        s1.memberTags().set(m.id(), "VIP", true, li);
        clock.advance(Duration.ofSeconds(1));
        s2.memberTags().set(m.id(), "VIP", true, zhang);
        clock.advance(Duration.ofSeconds(1));
        s2.memberTags().set(m.id(), "VIP", false, zhang); // the latest change of VIP: off
        clock.advance(Duration.ofSeconds(1));
        s2.memberTags().set(m.id(), "素食", true, zhang);
        clock.advance(Duration.ofSeconds(1));
        s1.memberTags().set(m.id(), "素食", true, li);
        clock.advance(Duration.ofSeconds(1));
        s1.memberTags().set(m.id(), "素食", false, li); // the latest change of 素食: off, from S1
        clock.advance(Duration.ofSeconds(1));
        s1.memberTags().set(m.id(), "老客", true, li);
        // Before syncing, each store sees its own.
        assertThat(s1.memberTags().of(m.id())).containsExactly("VIP", "老客");
        assertThat(s2.memberTags().of(m.id())).containsExactly("素食");

        // S2's changes, though made partly earlier, reach head office last for VIP's older "on" from S1.
        sync(s2, s1, s2, s1, s3);

        assertThat(officeTags()).containsExactly("老客");
        assertThat(s1.memberTags().of(m.id())).containsExactly("老客");
        assertThat(s2.memberTags().of(m.id())).containsExactly("老客");
        // Off rows stay at head office so an older "on" arriving later cannot bring the tag back.
        assertThat(office.officeLong("SELECT COUNT(*) FROM member_tag WHERE member_id = ? AND NOT tag_on", m.id())).isEqualTo(2);
        // S3 does not keep the member: no tag reached it.
        assertThat(s3.database().queryLong("SELECT COUNT(*) FROM member_tag")).isZero();
        assertThat(office.officeLong("SELECT COUNT(*) FROM change_log WHERE kind = 'member.tag' AND target_store = 'S3'"))
                .isZero();

        // S3 serves the member: it comes to keep them and receives every tag's state.
        s3.checkouts().complete(new CheckoutRequest(m.id(), 1_000L, List.of(), CheckoutRequest.CouponChoice.NONE, 0, 0), wu);
        sync(s3, s3);
        assertThat(s3.memberTags().of(m.id())).containsExactly("老客");
        assertThat(s3.memberSummaryService().byId(m.id()).orElseThrow().customTags()).containsExactly("老客");
    }

    @Test
    void anOlderChangeArrivingAfterANewerOneLosesAndTheStoreThatMadeItIsCorrected() {
        clock.advance(Duration.ofSeconds(1));
        s1.memberTags().set(m.id(), "VIP", true, li); // older
        clock.advance(Duration.ofSeconds(1));
        s2.memberTags().set(m.id(), "VIP", true, zhang);
        s2.memberTags().set(m.id(), "VIP", false, zhang); // newer: off
        sync(s2); // the newer reaches head office first
        sync(s1); // the older arrives late and loses; S1 pulls the winner
        sync(s2);
        assertThat(officeTags()).isEmpty();
        assertThat(s1.memberTags().of(m.id())).isEmpty();
        assertThat(s2.memberTags().of(m.id())).isEmpty();
    }

    @Test
    void theOwnersTagReachesTheMembersStoresAndAStoresLaterChangeStillWins() throws Exception {
        String key = office.server.ownerKeys().create("crm", EnumSet.of(OwnerKeys.Scope.TAGS, OwnerKeys.Scope.READ),
                Duration.ofDays(30));
        HttpResponse<String> added = post("/v1/members/" + m.cardCode() + "/tags", "{\"tag\": \" 生日会 \", \"on\": true}", key);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        JsonNode body = office.json.readTree(added.body());
        assertThat(body.path("tag").asText()).isEqualTo("生日会");
        assertThat(body.path("changed").asBoolean()).isTrue();
        assertThat(office.json.readTree(get("/v1/members/" + m.cardCode(), key)).path("custom_tags").toString())
                .isEqualTo("[\"生日会\"]");
        // A key without the scope, a bad tag and an unknown card are refused.
        String reader = office.server.ownerKeys().create("reader", EnumSet.of(OwnerKeys.Scope.READ), Duration.ofDays(30));
        assertThat(post("/v1/members/" + m.cardCode() + "/tags", "{\"tag\": \"x\", \"on\": true}", reader).statusCode())
                .isEqualTo(403);
        assertThat(post("/v1/members/" + m.cardCode() + "/tags", "{\"tag\": \"dormant\", \"on\": true}", key).statusCode())
                .isEqualTo(400);
        assertThat(post("/v1/members/2999999999994/tags", "{\"tag\": \"x\", \"on\": true}", key).statusCode()).isEqualTo(404);

        sync(s1, s2, s3);
        assertThat(s1.memberTags().of(m.id())).containsExactly("生日会");
        assertThat(s2.memberTags().of(m.id())).containsExactly("生日会");
        assertThat(s3.memberTags().of(m.id())).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        s2.memberTags().set(m.id(), "生日会", false, zhang);
        sync(s2, s1);
        assertThat(officeTags()).isEmpty();
        assertThat(s1.memberTags().of(m.id())).isEmpty();
    }

    @Test
    void twoStoresAddingAtOnceNeverGiveAMemberMoreThanTwentyTagsAnywhere() {
        for (int i = 1; i <= 19; i++) {
            s1.memberTags().set(m.id(), "t" + i, true, li);
        }
        sync(s1, s2);
        assertThat(s2.memberTags().of(m.id())).hasSize(19);
        clock.advance(Duration.ofSeconds(1));
        s1.memberTags().set(m.id(), "甲", true, li);
        clock.advance(Duration.ofSeconds(1));
        s2.memberTags().set(m.id(), "乙", true, zhang); // both stores are at 20; head office takes the first it hears
        sync(s1, s2, s1, s2);
        List<String> office20 = officeTags();
        assertThat(office20).hasSize(20).contains("甲").doesNotContain("乙");
        assertThat(s1.memberTags().of(m.id())).isEqualTo(office20);
        assertThat(s2.memberTags().of(m.id())).isEqualTo(office20);
    }

    private List<String> officeTags() {
        return new ArrayList<>(office.jdbi().withHandle(h -> h.createQuery(
                "SELECT tag FROM member_tag WHERE member_id = :m AND tag_on ORDER BY tag").bind("m", m.id())
                .mapTo(String.class).list()));
    }

    private static void sync(TerminalWiring... terminals) {
        for (TerminalWiring t : terminals) {
            engine(t).syncOnce();
        }
    }

    private HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(office.url() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(office.url() + path)).header("Authorization", "Bearer " + key)
                .GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
