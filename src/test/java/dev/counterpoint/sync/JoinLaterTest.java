package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.member.Member;
import dev.counterpoint.member.Phones;
import dev.counterpoint.protocol.PhoneBox;
import dev.counterpoint.store.Database;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.testing.ChildJvm;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A store that ran alone joins head office later (decision 0038): its phones are re-keyed with the chain's key, its
 * unsent events and rows take the registered store and terminal ids, and a registration stopped halfway is finished
 * at the next start.
 */
class JoinLaterTest {
    private static final String PHONE = "13800135678";

    @TempDir
    Path tmp;

    @Test
    void theSamePhoneAtAStoreThatJoinsLaterIsMergedIntoTheMemberHeadOfficeKnewFirst() {
        try (OfficeHarness office = OfficeHarness.h2()) {
            TerminalWiring a = office.terminal(tmp.resolve("a"), "S001", "T1", Clock.systemUTC());
            Member first = a.memberService().enrol("王芳", PHONE, null);
            a.syncEngine().orElseThrow().syncOnce();

            // Store B ran alone with the default ids (S001/T1, the same as A's), enrolled the same phone and sold to it.
            Path b = tmp.resolve("b");
            Member second;
            try (TerminalWiring alone = TerminalWiring.open(b, Locale.ENGLISH, Clock.systemUTC())) {
                assertThat(alone.config().storeId()).isEqualTo("S001");
                second = alone.memberService().enrol("王小芳", PHONE, null);
                alone.checkoutService().recordSale(second.id(), 5_000L, List.of());
            }
            register(office, b, "S002", "T1");

            try (TerminalWiring joined = TerminalWiring.open(b, Locale.ENGLISH, Clock.systemUTC())) {
                SyncReport pushed = joined.syncEngine().orElseThrow().syncOnce();
                assertThat(pushed.verdicts()).containsEntry("MERGED", 1).doesNotContainKey("REJECTED");
                a.syncEngine().orElseThrow().syncOnce();

                assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND status = 'MERGED' AND survivor_id = ?",
                        second.id(), first.id())).isOne();
                assertThat(office.officeLong("SELECT COUNT(*) FROM sync_exception WHERE kind = 'MEMBER_MERGED' AND subject = ? "
                        + "AND state = 'OPEN'", second.id().toString())).isOne();
                // Both counters find the survivor by the phone, and B's card leads to it.
                for (TerminalWiring t : List.of(a, joined)) {
                    assertThat(t.memberService().search(PHONE)).extracting(Member::id).as(t.config().storeId())
                            .containsExactly(first.id());
                    assertThat(t.memberService().findByCode(second.cardCode())).map(Member::id).contains(first.id());
                    assertThat(OfficeSyncContract.points(t, first.id())).as(t.config().storeId())
                            .isEqualTo(office.officeLong("SELECT COALESCE(SUM(delta), 0) FROM points_entry WHERE member_id = ?", first.id()))
                            .isPositive();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Registration.Step.class)
    void aRegistrationKilledAfterHeadOfficeRepliedIsFinishedAtTheNextStart(Registration.Step killedAt) throws Exception {
        try (OfficeHarness office = OfficeHarness.h2()) {
            Path dir = tmp.resolve("store");
            Member member;
            try (TerminalWiring alone = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                member = alone.memberService().enrol("李雷", PHONE, null);
                alone.memberService().enrol("韩梅梅", "13900001111", null);
                alone.checkoutService().recordSale(member.id(), 2_000L, List.of());
            }
            byte[] ownKey = TerminalConfig.loadOrCreate(dir).phoneKey();
            String code = office.server.registrations().addTerminal("S005", "T3");
            Process worker = new ProcessBuilder(ChildJvm.command(RegisterWorker.class.getName(), dir.toString(),
                    office.url().toString(), code, killedAt.name()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("worker.out").toFile()).start();
            assertThat(worker.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue()).as(Files.readString(dir.resolve("worker.out"))).isEqualTo(RegisterWorker.HALTED);

            // Killed: the code is spent, the reply saved, the settings not yet written.
            assertThat(dir.resolve(PendingRegistration.FILE_NAME)).exists();
            assertThat(dir.resolve(SyncSettings.FILE_NAME)).doesNotExist();
            // The saved reply keeps the chain's phone key and the credential sealed, like their lasting places.
            assertThat(Files.readString(dir.resolve(PendingRegistration.FILE_NAME))).doesNotContainIgnoringCase(chainKey(office))
                    .contains("credential.sealed=sealed1\\:").doesNotContain("credential=");
            TerminalConfig before = TerminalConfig.loadOrCreate(dir);
            assertThat(before.storeId()).isEqualTo("S001");
            assertThat(before.phoneKey()).isEqualTo(ownKey);
            Phones chain = new Phones(HexFormat.of().parseHex(chainKey(office)));
            try (Database db = Database.open(dir)) {
                String hmac = db.jdbi().withHandle(h -> h.createQuery("SELECT phone_hmac FROM member WHERE id = :id")
                        .bind("id", member.id()).mapTo(String.class).one());
                assertThat(hmac).isEqualTo(killedAt == Registration.Step.REKEYED ? chain.hmac(PHONE) : new Phones(ownKey).hmac(PHONE));
            }

            try (TerminalWiring restarted = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                assertThat(dir.resolve(PendingRegistration.FILE_NAME)).doesNotExist();
                assertThat(restarted.config().storeId()).isEqualTo("S005");
                assertThat(restarted.config().terminalId()).isEqualTo("T3");
                assertThat(HexFormat.of().formatHex(restarted.config().phoneKey())).isEqualTo(chainKey(office));
                assertThat(Files.readString(dir.resolve(TerminalConfig.FILE_NAME))).doesNotContainIgnoringCase(chainKey(office))
                        .contains("phone.key.sealed=");
                assertThat(restarted.memberService().search(PHONE)).extracting(Member::id).containsExactly(member.id());
                // Applied once: the receipt is renumbered once, the enrolment carries the chain's hash.
                Map<String, JsonNode> unsent = unsentPayloads(restarted);
                assertThat(unsent.get("sale.recorded").path("receipt_no").asText()).isEqualTo("S005-T3-000001");
                assertThat(unsent.get("member.enrolled").path("phone_hmac").asText()).isEqualTo(chain.hmac(PHONE));
                assertThat(unsent.get("member.enrolled").path("home_store").asText()).isEqualTo("S005");
                // and the number boxed for head office with the key its reply brought
                assertThat(unsent.get("member.enrolled").path("phone_box").asText()).hasSize(PhoneBox.BOX_CHARS);

                SyncReport r = restarted.syncEngine().orElseThrow().syncOnce();
                assertThat(r.verdicts()).containsOnlyKeys("ACCEPTED");
                assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE phone_hmac = ? AND home_store = 'S005'",
                        chain.hmac(PHONE))).isOne();
                assertThat(office.officeLong("SELECT COUNT(*) FROM purchase WHERE receipt_no = 'S005-T3-000001'")).isOne();
                assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND phone_box IS NOT NULL", member.id()))
                        .isOne();
            }
        }
    }

    @Test
    void checkoutsStaffAndAuditEntriesOfAStoreThatRanAloneAreAcceptedUnderItsRegisteredIds() {
        try (OfficeHarness office = OfficeHarness.h2()) {
            Path dir = tmp.resolve("alone-checkout");
            String receipt;
            try (TerminalWiring alone = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                Member m = alone.memberService().enrol("李雷", PHONE, null);
                dev.counterpoint.staff.Staff li = alone.staffAccounts().addFirst("li", "李店长",
                        dev.counterpoint.protocol.StaffRole.MANAGER, "246810");
                receipt = alone.checkouts().complete(new dev.counterpoint.checkout.CheckoutRequest(m.id(), 8_000L, List.of(),
                        dev.counterpoint.checkout.CheckoutRequest.CouponChoice.NONE, 0, 0), li).receiptNo();
                alone.refunds().refund(receipt, List.of(), li, li);
            }
            assertThat(receipt).startsWith("S001-T1-");
            register(office, dir, "S004", "T2");

            try (TerminalWiring joined = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                SyncReport pushed = joined.syncEngine().orElseThrow().syncOnce();
                assertThat(pushed.verdicts()).containsOnlyKeys("ACCEPTED");
                assertThat(office.officeLong("SELECT COUNT(*) FROM checkout WHERE receipt_no = ?",
                        "S004-T2-" + receipt.substring("S001-T1-".length()))).isOne();
                assertThat(office.officeLong("SELECT COUNT(*) FROM refund WHERE refund_no LIKE 'S004-T2-%'")).isOne();
                assertThat(office.officeLong("SELECT COUNT(*) FROM audit_entry WHERE store_id = 'S004' AND intact")).isEqualTo(2);
                assertThat(joined.database().queryLong("SELECT COUNT(*) FROM checkout WHERE receipt_no LIKE 'S004-T2-%'")).isOne();
            }
        }
    }

    @Test
    void phonesStoredBeforeTheyWereSealedStopTheRegistrationUntilTheyMayBeCleared() throws Exception {
        try (OfficeHarness office = OfficeHarness.h2()) {
            Path dir = tmp.resolve("legacy");
            Member legacy;
            Member sealed;
            try (TerminalWiring alone = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                legacy = alone.memberService().enrol("赵敏", PHONE, null);
                sealed = alone.memberService().enrol("周芷若", "13900001111", null);
                // As a row written before phones were kept sealed.
                alone.database().jdbi().useHandle(h -> h.createUpdate("UPDATE member SET phone_sealed = NULL WHERE id = :id")
                        .bind("id", legacy.id()).execute());
            }
            String code = office.server.registrations().addTerminal("S003", "T1");
            try (Database db = Database.open(dir)) {
                TerminalConfig config = TerminalConfig.loadOrCreate(dir);
                assertThatThrownBy(() -> Registration.register(dir, db.jdbi(), config, office.url(), code, office.json, false))
                        .isInstanceOfSatisfying(Registration.UnkeyedPhonesException.class, e -> assertThat(e.members()).isOne());
                assertThat(dir.resolve(SyncSettings.FILE_NAME)).doesNotExist();
                // Nothing was sent: the same code still works, now that clearing those phones is allowed.
                Registration.Registered r = Registration.register(dir, db.jdbi(), config, office.url(), code, office.json, true);
                assertThat(r.phonesRekeyed()).isOne();
                assertThat(r.phonesCleared()).isOne();
            }
            try (TerminalWiring joined = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                assertThat(joined.memberService().search(PHONE)).isEmpty();
                assertThat(joined.memberService().search("5678")).extracting(Member::id).containsExactly(legacy.id());
                assertThat(joined.memberService().findByCode(legacy.cardCode()).orElseThrow().phoneMasked()).isEqualTo("138****5678");
                assertThat(joined.memberService().search("13900001111")).extracting(Member::id).containsExactly(sealed.id());
                assertThat(joined.syncEngine().orElseThrow().syncOnce().verdicts()).containsOnlyKeys("ACCEPTED");
            }
            assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE id = ? AND phone_hmac IS NULL AND phone_masked = '138****5678'",
                    legacy.id())).isOne();
        }
    }

    @Test
    void aRegistrationFinishedTwiceChangesNothingTheSecondTime() {
        try (OfficeHarness office = OfficeHarness.h2()) {
            Path dir = tmp.resolve("twice");
            try (TerminalWiring alone = TerminalWiring.open(dir, Locale.ENGLISH, Clock.systemUTC())) {
                Member m = alone.memberService().enrol("李雷", PHONE, null);
                alone.checkoutService().recordSale(m.id(), 2_000L, List.of());
            }
            String code = office.server.registrations().addTerminal("S001-T1", "X"); // ids whose receipts extend the old ones
            try (Database db = Database.open(dir)) {
                TerminalConfig config = TerminalConfig.loadOrCreate(dir);
                PendingRegistration[] saved = new PendingRegistration[1];
                Registration.register(dir, db.jdbi(), config, office.url(), code, office.json, false, step -> {
                    if (step == Registration.Step.REKEYED) {
                        saved[0] = PendingRegistration.load(dir).orElseThrow();
                    }
                });
                saved[0].save(dir); // as if stopped before the saved reply was deleted
                assertThat(Registration.completePending(dir, db.jdbi(), office.json)).map(Registration.Registered::phonesRekeyed)
                        .contains(0L);
                String receipt = db.jdbi().withHandle(h -> h.createQuery("SELECT receipt_no FROM purchase").mapTo(String.class).one());
                assertThat(receipt).isEqualTo("S001-T1-X-000001");
            }
        }
    }

    private static void register(OfficeHarness office, Path dir, String store, String terminal) {
        String code = office.server.registrations().addTerminal(store, terminal);
        try (Database db = Database.open(dir)) {
            Registration.register(dir, db.jdbi(), TerminalConfig.loadOrCreate(dir), office.url(), code, office.json, false);
        }
    }

    private static String chainKey(OfficeHarness office) {
        return office.server.registrations().chainPhoneKey();
    }

    /** The unsent events by type (the first of each type). */
    private static Map<String, JsonNode> unsentPayloads(TerminalWiring t) {
        Map<String, JsonNode> byType = new java.util.HashMap<>();
        t.database().jdbi().useHandle(h -> h.createQuery("SELECT type, payload FROM outbox_event WHERE pushed_at IS NULL ORDER BY terminal_seq")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> {
                    try {
                        byType.putIfAbsent(e.getKey(), t.json().readTree(e.getValue()));
                    } catch (java.io.IOException x) {
                        throw new java.io.UncheckedIOException(x);
                    }
                }));
        return byType;
    }
}
