package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.wiring.TerminalWiring;
import dev.counterpoint.bench.BenchResults;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OwnerKeys;
import dev.counterpoint.protocol.Change;
import dev.counterpoint.testing.TestClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/**
 * A campaign to the whole chain on PostgreSQL, and the pull that brings its coupons to one store. Head office holds
 * {@code bench.campaignMembers} members (1,000,000) across 1,000 stores: the first store's {@value #LOCAL} are enrolled
 * at its terminal and pushed as a store would; the rest are COPYed into head office's member tables. The campaign goes
 * through {@code POST /v1/campaigns} with a segment of every tier (so every member), timed from request to answer; then
 * the store's terminal syncs, timed, and must hold exactly its members' coupons. The comparisons, measured in the same
 * run: the same number of coupon rows and feed rows COPYed bare into tables shaped like head office's, and the same
 * store's feed rows read bare by an index on the store plus its coupons written bare into the terminal's database.
 * Runs only with {@code mvn -B -Pbench test -Dtest=CampaignBenchmark}; see docs/benchmarks.md.
 */
class CampaignBenchmark {
    private static final int MEMBERS = Integer.getInteger("bench.campaignMembers", 1_000_000);
    private static final int STORES = 1_000;
    private static final int LOCAL = 1_000;
    private static final String STORE = "S0001";

    @TempDir
    Path tmp;

    @Test
    void aCampaignToTheWholeChainAndOneStoresPull() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("shared_buffers", "1GB").setServerConfig("work_mem", "64MB")
                .setServerConfig("maintenance_work_mem", "512MB").setServerConfig("max_wal_size", "8GB")
                .setServerConfig("effective_cache_size", "4GB").setServerConfig("synchronous_commit", "on").start()) {
            OfficeDatabase db = OfficeDatabase.url(pg.getJdbcUrl("postgres", "postgres"), "postgres", null,
                    Path.of("target", "bench", "campaign-office-" + UUID.randomUUID()));
            TestClock clock = OfficeHarness.clockAt(OfficeHarness.START);
            try (OfficeHarness office = new OfficeHarness(db, 8, clock)) {
                TerminalWiring store = office.terminalOnDisk(tmp.resolve("store"), STORE, "T1", clock);
                List<UUID> local = new ArrayList<>();
                for (int i = 0; i < LOCAL; i++) {
                    Member m = store.memberService().enrol("会员" + i, "139" + String.format("%08d", i), null);
                    local.add(m.id());
                    if (local.size() % 100 == 0) {
                        OfficeSyncContract.engine(store).syncOnce(); // as a store's day goes: a sync every few sales
                    }
                }
                long loadStarted = System.nanoTime();
                loadOtherMembers(office);
                long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
                System.out.printf("[bench] campaign: %,d members at head office (%,d COPYed in %,d ms)%n", MEMBERS,
                        MEMBERS - LOCAL, loadMillis);
                clock.advance(Duration.ofHours(1));
                String owner = office.server.ownerKeys().create("crm", EnumSet.of(OwnerKeys.Scope.COUPONS,
                        OwnerKeys.Scope.READ), Duration.ofDays(30));

                // The campaign, as an owner's system sends it.
                long issueStarted = System.nanoTime();
                HttpResponse<String> created = post(office, "/v1/campaigns", """
                        {"name": "全会员回馈", "coupon": {"title": "满¥30减¥5", "title_en": "¥5 off ¥30", "amount_off_fen": 500,
                         "min_spend_fen": 3000, "valid_days": 30},
                         "segment": {"tiers": ["NORMAL", "SILVER", "GOLD", "DIAMOND"]}}""", owner);
                long issueNanos = System.nanoTime() - issueStarted;
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                JsonNode body = office.json.readTree(created.body());
                assertThat(body.path("members").asLong()).isEqualTo(MEMBERS);
                UUID campaign = UUID.fromString(body.path("campaign_id").asText());
                long feedRows = office.officeLong("SELECT COUNT(*) FROM change_log WHERE kind = 'coupon.issued'");
                assertThat(feedRows).isEqualTo(MEMBERS);

                // What the store's pull has to find: its own rows and the rows for every store, among the campaign's.
                long forStore = office.officeLong("SELECT COUNT(*) FROM change_log WHERE target_store = ?", STORE);
                long forAll = office.officeLong("SELECT COUNT(*) FROM change_log WHERE target_store IS NULL");
                System.out.printf("[bench] campaign: feed rows for %s %,d, for every store %,d, in all %,d%n", STORE, forStore,
                        forAll, office.officeLong("SELECT COUNT(*) FROM change_log"));
                office.jdbi().useHandle(h -> h.createQuery("SELECT kind, target_store IS NULL AS everyone, COUNT(*) FROM change_log"
                        + " WHERE target_store IS NULL OR target_store = :s GROUP BY kind, target_store IS NULL").bind("s", STORE)
                        .map((rs, ctx) -> {
                            System.out.printf("[bench] campaign:   %s %s %,d%n", rs.getString(1), rs.getBoolean(2) ? "all" : STORE,
                                    rs.getLong(3));
                            return 0;
                        }).list());
                long bareIssueNanos = bareIssue(office, campaign);

                // The store's pull: its members' coupons, out of the chain's million.
                long pullStarted = System.nanoTime();
                SyncReport pulled = OfficeSyncContract.engine(store).syncOnce();
                long pullNanos = System.nanoTime() - pullStarted;
                long held = store.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM coupon WHERE template_id LIKE 'CMP_%'").mapTo(Long.class).one());
                assertThat(held).isEqualTo(LOCAL);
                long perMember = store.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(DISTINCT member_id) FROM coupon WHERE template_id LIKE 'CMP_%'").mapTo(Long.class).one());
                assertThat(perMember).isEqualTo(LOCAL);
                assertThat(OfficeSyncContract.engine(store).syncOnce().pulled()).as("a second pull brings nothing").isZero();

                long barePullNanos = barePull(office, store);

                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("members", MEMBERS);
                figures.put("stores", STORES);
                figures.put("issue_ms", issueNanos / 1_000_000);
                figures.put("issue_per_second", MEMBERS * 1_000_000_000L / issueNanos);
                figures.put("bare_copy_ms", bareIssueNanos / 1_000_000);
                figures.put("issue_vs_bare", Math.round(10.0 * issueNanos / bareIssueNanos) / 10.0);
                figures.put("store_coupons", LOCAL);
                figures.put("pull_changes", pulled.pulled());
                figures.put("pull_ms", pullNanos / 1_000_000);
                figures.put("bare_pull_ms", barePullNanos / 1_000_000);
                figures.put("pull_vs_bare", Math.round(10.0 * pullNanos / barePullNanos) / 10.0);
                figures.put("member_load_ms", loadMillis);
                BenchResults.record("campaign", figures,
                        BenchResults.Row.comparison("campaign to " + String.format("%,d", MEMBERS) + " members (PostgreSQL)",
                                BenchResults.ms(issueNanos / 1_000.0),
                                "bare COPY of its coupon and feed rows " + BenchResults.ms(bareIssueNanos / 1_000.0)),
                        BenchResults.Row.comparison("one store's pull of its " + LOCAL + " coupons",
                                BenchResults.ms(pullNanos / 1_000.0),
                                "bare read by store + bare insert " + BenchResults.ms(barePullNanos / 1_000.0)));
            }
        }
    }

    /**
     * Members of the other stores, straight into head office's tables (the enrolments' projection, without the feed).
     * They are Standard members without purchases, as their figures say: a higher tier would be lowered by head
     * office's yearly review, whose changes go to every store and would swamp the pull this measures.
     */
    private static void loadOtherMembers(OfficeHarness office) throws Exception {
        Random random = new Random(20261205);
        try (Handle h = office.jdbi().open()) {
            Connection c = h.getConnection();
            StringBuilder members = new StringBuilder();
            StringBuilder stores = new StringBuilder();
            for (int i = LOCAL; i < MEMBERS; i++) {
                UUID id = new UUID(0x0192_0000_0000_7000L, i);
                String home = String.format("S%04d", 2 + random.nextInt(STORES - 1));
                members.append(id).append("\tC").append(String.format("%09d", i)).append("\t会员").append(i)
                        .append("\tNORMAL\t").append(home)
                        .append("\t2025-06-01 10:00:00+08\t").append(i).append("\tCOUNTER\tACTIVE\n");
                stores.append(id).append('\t').append(home).append("\t2025-06-01 10:00:00+08\n");
                if (members.length() > 8_000_000) {
                    copy(c, "member(id, card_code, display_name, tier, home_store, enrolled_at, enrolled_hlc, enrolled_via, status)",
                            members);
                    copy(c, "member_store(member_id, store_id, joined_at)", stores);
                }
            }
            copy(c, "member(id, card_code, display_name, tier, home_store, enrolled_at, enrolled_hlc, enrolled_via, status)",
                    members);
            copy(c, "member_store(member_id, store_id, joined_at)", stores);
            h.execute("ANALYZE member");
            h.execute("ANALYZE member_store");
        }
    }

    /** The campaign's rows COPYed bare into empty tables of the same shape (indexes and keys included). */
    private static long bareIssue(OfficeHarness office, UUID campaign) throws Exception {
        try (Handle h = office.jdbi().open()) {
            h.execute("CREATE TABLE bare_coupon (LIKE coupon INCLUDING ALL)");
            h.execute("CREATE TABLE bare_change_log (LIKE change_log INCLUDING ALL)");
            StringBuilder coupons = new StringBuilder();
            StringBuilder feed = new StringBuilder();
            h.createQuery("SELECT id, code, member_id, template_id, valid_from, valid_until FROM coupon WHERE campaign_id = :c")
                    .bind("c", campaign)
                    .map((rs, ctx) -> coupons.append(rs.getString(1)).append('\t').append(rs.getString(2)).append('\t')
                            .append(rs.getString(3)).append('\t').append(rs.getString(4)).append('\t').append(rs.getString(5))
                            .append('\t').append(rs.getString(6)).append("\t2026-03-10 11:00:00+08\tcampaign\t").append(campaign)
                            .append('\n'))
                    .list();
            h.createQuery("SELECT seq, target_store, payload, member_id FROM change_log WHERE kind = 'coupon.issued'")
                    .map((rs, ctx) -> feed.append(rs.getLong(1)).append('\t').append(rs.getString(2))
                            .append("\t\\N\t\\N\tcoupon.issued\t").append(rs.getString(3).replace("\\", "\\\\"))
                            .append("\t2026-03-10 11:00:00+08\t").append(rs.getString(4) == null ? "\\N" : rs.getString(4))
                            .append('\n'))
                    .list();
            Connection c = h.getConnection();
            long started = System.nanoTime();
            h.begin();
            copy(c, "bare_coupon(id, code, member_id, template_id, valid_from, valid_until, issued_at, issued_by, campaign_id)",
                    coupons);
            copy(c, "bare_change_log(seq, target_store, origin_store, origin_terminal, kind, payload, created_at, member_id)",
                    feed);
            h.commit();
            return System.nanoTime() - started;
        }
    }

    /**
     * The floor of the pull: the store's feed rows read by an index on the store (built for this, untimed), and its
     * coupons written into a copy of the terminal's coupon table in one batch.
     */
    private static long barePull(OfficeHarness office, TerminalWiring store) throws Exception {
        office.jdbi().useHandle(h -> h.execute("CREATE INDEX bare_change_log_store ON bare_change_log(target_store, seq)"));
        store.database().jdbi().useHandle(h -> h.execute("CREATE TABLE bare_coupon AS SELECT * FROM coupon WHERE 1 = 0"));
        List<Object[]> rows = new ArrayList<>();
        long started = System.nanoTime();
        office.jdbi().useHandle(h -> h.createQuery("SELECT seq, payload FROM bare_change_log WHERE target_store = :s ORDER BY seq")
                .bind("s", STORE).map((rs, ctx) -> rows.add(new Object[] {rs.getLong(1), rs.getString(2)})).list());
        List<Change.CouponIssued> payloads = new ArrayList<>();
        for (Object[] r : rows) {
            payloads.add(office.json.readValue((String) r[1], Change.CouponIssued.class));
        }
        store.database().jdbi().useTransaction(h -> {
            try (PreparedStatement ps = h.getConnection().prepareStatement("INSERT INTO bare_coupon(id, code, member_id,"
                    + " template_id, valid_from, valid_until, status, issued_at, issued_by) VALUES (?, ?, ?, ?, ?, ?, 'ISSUED', ?, ?)")) {
                for (Change.CouponIssued p : payloads) {
                    ps.setObject(1, p.couponId());
                    ps.setString(2, p.code());
                    ps.setObject(3, p.memberId());
                    ps.setString(4, p.templateId());
                    ps.setObject(5, p.validFrom());
                    ps.setObject(6, p.validUntil());
                    ps.setObject(7, p.issuedAt());
                    ps.setString(8, p.issuedBy());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
        long nanos = System.nanoTime() - started;
        assertThat(payloads).hasSize(LOCAL);
        return nanos;
    }

    private static void copy(Connection c, String table, StringBuilder rows) throws Exception {
        if (rows.length() == 0) {
            return;
        }
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN", new StringReader(rows.toString()));
        rows.setLength(0);
    }

    private static HttpResponse<String> post(OfficeHarness office, String path, String body, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(office.url() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
