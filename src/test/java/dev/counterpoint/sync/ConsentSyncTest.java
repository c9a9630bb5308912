package dev.counterpoint.sync;

import static dev.counterpoint.sync.OfficeSyncContract.engine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.ConsentRecord;
import dev.counterpoint.member.EnrolmentConsent;
import dev.counterpoint.member.Member;
import dev.counterpoint.testing.TestClock;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consent travels like profile fields: recorded at one store, it reaches the others through head office with where
 * and when it was given; two stores changing a channel offline end with the change of the higher HLC everywhere,
 * whichever arrives first.
 */
class ConsentSyncTest {
    @TempDir
    Path tmp;
    OfficeHarness office;
    TestClock clockA;
    TestClock clockB;
    TerminalWiring a;
    TerminalWiring b;

    @BeforeEach
    void start() {
        office = OfficeHarness.h2();
        clockA = OfficeHarness.clockAt(OfficeHarness.START);
        clockB = OfficeHarness.clockAt(OfficeHarness.START);
        a = office.terminal(tmp.resolve("a"), "S001", "T1", clockA);
        b = office.terminal(tmp.resolve("b"), "S002", "T1", clockB);
    }

    @AfterEach
    void stop() {
        office.close();
    }

    @Test
    void consentGivenAtEnrolmentReachesTheOtherStoreWithWhereAndWhen() {
        Member m = a.memberService().enrol("周宁", "13900001111", null, new EnrolmentConsent(true, true, false));
        engine(a).syncOnce();
        engine(b).syncOnce();

        assertThat(seen(b, m.id())).containsExactly("PRIVACY_NOTICE=true@S001/T1", "MARKETING_SMS=true@S001/T1",
                "MARKETING_WECHAT=false@S001/T1");
        assertThat(b.memberService().consent(m.id())).allSatisfy(c ->
                assertThat(c.recordedAt().toInstant()).isEqualTo(OfficeHarness.START));
        assertThat(office.officeLong("SELECT COUNT(*) FROM member_consent WHERE member_id = ?", m.id())).isEqualTo(3);
    }

    @Test
    void twoStoresChangingConsentOfflineEndWithTheLaterChangeEverywhereWhateverArrivesFirst() {
        Member m = a.memberService().enrol("周宁", "13900001111", null, new EnrolmentConsent(true, false, false));
        engine(a).syncOnce();
        engine(b).syncOnce();

        // Both stores, offline: S002 withdraws SMS and grants WeChat; S001 grants SMS, taken by a named member of staff.
        clockB.advance(Duration.ofMinutes(1));
        b.memberService().changeConsent(m.id(), false, true, null);
        clockA.advance(Duration.ofMinutes(2));
        a.staffAccounts().addFirst("staff-7", "李店长", dev.counterpoint.protocol.StaffRole.MANAGER, "246810");
        a.memberService().changeConsent(m.id(), true, null, "staff-7");

        long hlcA = consentHlc(a);
        long hlcB = consentHlc(b);
        assertThat(hlcA).isNotEqualTo(hlcB);
        TerminalWiring later = hlcA > hlcB ? a : b;
        TerminalWiring earlier = later == a ? b : a;
        // The later change arrives first; the earlier one, arriving after it, must not win.
        engine(later).syncOnce();
        engine(earlier).syncOnce();
        engine(later).syncOnce();

        String sms = later == a ? "MARKETING_SMS=true@S001/T1" : "MARKETING_SMS=false@S002/T1";
        List<String> expected = List.of("PRIVACY_NOTICE=true@S001/T1", sms, "MARKETING_WECHAT=true@S002/T1");
        assertThat(seen(a, m.id())).isEqualTo(expected);
        assertThat(seen(b, m.id())).isEqualTo(expected);
        List<String> atOffice = office.jdbi().withHandle(h -> h.createQuery("""
                SELECT channel || '=' || CASE WHEN granted THEN 'true' ELSE 'false' END FROM member_consent WHERE member_id = :m
                ORDER BY channel""").bind("m", m.id()).mapTo(String.class).list());
        assertThat(atOffice).containsExactly("MARKETING_SMS=" + (later == a), "MARKETING_WECHAT=true", "PRIVACY_NOTICE=true");
        if (later == a) {
            assertThat(b.memberService().consent(m.id())).filteredOn(c -> c.channel().name().equals("MARKETING_SMS"))
                    .extracting(ConsentRecord::staffId).containsExactly("staff-7");
        }
    }

    private static List<String> seen(TerminalWiring t, UUID member) {
        return t.memberService().consent(member).stream()
                .map(c -> c.channel() + "=" + c.granted() + "@" + c.storeId() + "/" + c.terminalId()).toList();
    }

    private static long consentHlc(TerminalWiring t) {
        return t.database().queryLong("SELECT MAX(hlc) FROM outbox_event WHERE type = 'member.consent'");
    }
}
