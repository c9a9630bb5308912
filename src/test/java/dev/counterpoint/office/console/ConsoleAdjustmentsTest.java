package dev.counterpoint.office.console;

import static dev.counterpoint.office.console.ConsoleFixture.CARD_BOTH;
import static dev.counterpoint.office.console.ConsoleFixture.CARD_S001;
import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S001;
import static dev.counterpoint.office.console.ConsoleFixture.MANAGER_S002;
import static dev.counterpoint.office.console.ConsoleFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store manager's balance adjustments in the console: each ledger entry they wrote shows, in either language, its
 * reason and who made and approved it (in its export too); head office's own adjustments say they are its own; an
 * adjustment that overdrew head office's balance is an exception for the owner and the store's manager.
 */
class ConsoleAdjustmentsTest {
    static final String REASON = "voucher <b>lost</b> & honoured";
    private ConsoleFixture office;
    private final UUID pointsAdjustment = UUID.fromString("01900000-0000-7000-8000-0000000000f1");
    private final UUID svAdjustment = UUID.fromString("01900000-0000-7000-8000-0000000000f2");

    @BeforeEach
    void start() {
        office = new ConsoleFixture();
        OffsetDateTime at = OffsetDateTime.ofInstant(ConsoleFixture.NOW, ZoneOffset.UTC).minusHours(4);
        office.jdbi().useTransaction(h -> {
            adjustment(h, pointsAdjustment, office.memberS001, "S001", "POINTS", -128, REASON, at);
            UUID entry = UUID.randomUUID();
            h.execute("INSERT INTO points_entry(id, member_id, delta, kind, lot_expires_on, ref_id, created_at, hlc, store_id) "
                    + "VALUES (?, ?, -128, 'ADJUST', NULL, NULL, ?, 2, 'S001')", entry, office.memberS001, at);
            h.execute("INSERT INTO balance_adjustment_entry(entry_id, adjustment_id) VALUES (?, ?)", entry, pointsAdjustment);
            adjustment(h, svAdjustment, office.memberBoth, "S002", "STORED_VALUE", 1_250, "till error found at close", at);
            UUID sv = UUID.randomUUID();
            h.execute("INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc, store_id) "
                    + "VALUES (?, ?, 1250, 'ADJUST', ?, ?, 2, 'S002')", sv, office.memberBoth, svAdjustment, at);
            h.execute("INSERT INTO balance_adjustment_entry(entry_id, adjustment_id) VALUES (?, ?)", sv, svAdjustment);
            // Head office's own: a merge moved the alias's stored value.
            h.execute("INSERT INTO sv_entry(id, member_id, delta_fen, kind, ref_id, created_at, hlc, store_id) "
                    + "VALUES (?, ?, 300, 'ADJUST', ?, ?, 3, NULL)", UUID.randomUUID(), office.memberBoth, office.memberAlias, at);
            h.execute("INSERT INTO sync_exception(id, kind, subject, detail, state, created_at, updated_at) "
                    + "VALUES (?, 'ADJUSTMENT_OVERDRAFT', ?, ?, 'OPEN', ?, ?)", UUID.randomUUID(), pointsAdjustment.toString(),
                    "{\"adjustment_id\":\"" + pointsAdjustment + "\",\"member_id\":\"" + office.memberS001 + "\","
                            + "\"store_id\":\"S001\",\"terminal_id\":\"T1\",\"staff_id\":\"wu\",\"manager_id\":\"li\","
                            + "\"kind\":\"POINTS\",\"delta\":-128,\"reason\":\"till error\",\"balance_at_store\":0,"
                            + "\"balance_at_office\":-28}", at, at);
        });
    }

    @AfterEach
    void stop() {
        office.close();
    }

    private static void adjustment(Handle h, UUID id, UUID member, String store, String kind, long delta, String reason,
                                   OffsetDateTime at) {
        h.execute("INSERT INTO balance_adjustment(id, member_id, store_id, terminal_id, kind, delta, reason, staff_id, manager_id, "
                + "adjusted_at, event_id) VALUES (?, ?, ?, 'T1', ?, ?, ?, 'wu', 'li', ?, ?)", id, member, store, kind, delta,
                reason, at, UUID.randomUUID());
    }

    private ConsoleClient as(String user, String language) throws Exception {
        ConsoleClient c = new ConsoleClient(office.base());
        c.language = language;
        return c.signedIn(user);
    }

    @Test
    void theLedgersShowEachAdjustmentsReasonInBothLanguages() throws Exception {
        String en = as(OWNER, "en").get("/members/" + CARD_S001).body();
        assertThat(en).contains("adjusted").contains("Adjusted by hand: voucher &lt;b&gt;lost&lt;/b&gt; &amp; honoured "
                + "(by wu, approved by li)").doesNotContain("<b>lost</b>");
        String zh = as(OWNER, "zh-CN").get("/members/" + CARD_S001).body();
        assertThat(zh).contains("调整").contains("手工调整：voucher &lt;b&gt;lost&lt;/b&gt; &amp; honoured（wu 经办，li 批准）");

        String both = as(OWNER, "en").get("/members/" + CARD_BOTH).body();
        assertThat(both).contains("Adjusted by hand: till error found at close (by wu, approved by li)")
                .contains("Head office: a merge's move<").doesNotContain("points beyond a tier");
        String bothZh = as(OWNER, "zh-CN").get("/members/" + CARD_BOTH).body();
        assertThat(bothZh).contains("手工调整：till error found at close（wu 经办，li 批准）").contains("总部调整：");

        String csv = as(OWNER, "en").get("/export/member-stored-value.csv?card=" + CARD_BOTH).body();
        assertThat(csv).contains("Adjusted by hand: till error found at close (by wu, approved by li)");
        String points = as(OWNER, "en").get("/export/member-points.csv?card=" + CARD_S001).body();
        assertThat(points.lines().filter(l -> l.contains("-128")).findFirst().orElseThrow()).contains(REASON);
    }

    @Test
    void anAdjustmentThatOverdrewHeadOfficeIsAnExceptionForTheOwnerAndTheStoresManager() throws Exception {
        String list = as(OWNER, "en").get("/exceptions").body();
        assertThat(list).contains("Adjustment overdrew the balance").contains("href=\"/members/" + CARD_S001 + "\"");
        assertThat(as(MANAGER_S001, "en").get("/exceptions").body()).contains("Adjustment overdrew the balance");
        assertThat(as(MANAGER_S002, "en").get("/exceptions").body()).doesNotContain("Adjustment overdrew the balance");
        String id = office.jdbi().withHandle(h -> h.createQuery(
                "SELECT CAST(id AS VARCHAR(40)) FROM sync_exception WHERE kind = 'ADJUSTMENT_OVERDRAFT'").mapTo(String.class).one());
        String zh = as(OWNER, "zh-CN").get("/exceptions/" + id).body();
        assertThat(zh).contains("手工调整造成透支").contains("请与门店结清差额或予以核销").contains("与门店结清")
                .contains("核销");
    }
}
