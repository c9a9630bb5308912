package dev.counterpoint.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.importer.ImportFileException;
import dev.counterpoint.importer.ImportProgress;
import dev.counterpoint.importer.ImportResult;
import dev.counterpoint.member.Member;
import dev.counterpoint.office.MemberListImport;
import dev.counterpoint.shared.Messages;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Head office imports a chain's member list itself; the stores receive the members through the feed. */
class OfficeMemberImportTest {
    private static final String HEADER = "card_code,phone,name,birthday,tier,points,stored_value_fen,marketing_consent,home_store\n";

    @TempDir
    Path tmp;

    @Test
    void importedMembersReachEveryStoreAndTheirHomeStoreHoldsTheirBalances() throws Exception {
        try (OfficeHarness office = OfficeHarness.h2()) {
            TerminalWiring s1 = office.terminal(tmp.resolve("s1"), "S001", "T1", Clock.systemUTC());
            TerminalWiring s2 = office.terminal(tmp.resolve("s2"), "S002", "T1", Clock.systemUTC());
            Path file = csv(HEADER
                    + "C-1001,13800138001,王芳,1990-05-01,GOLD,1200,5000,yes,\n"
                    + "C-1002,,李雷,,NORMAL,0,0,,S002\n");
            List<String> errors = new ArrayList<>();
            List<Long> told = new ArrayList<>();

            ImportResult result = importer(office).importFile(file, "S001", m -> errors.add(english(m)),
                    (rows, read, size) -> told.add(rows));

            assertThat(errors).isEmpty();
            assertThat(result).isEqualTo(new ImportResult(2, 0));
            assertThat(told).containsExactly(2L);
            UUID wang = UUID.fromString(office.db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT CAST(id AS VARCHAR) FROM member WHERE card_code = 'C-1001' AND enrolled_via = 'IMPORT' AND home_store = 'S001'")
                    .mapTo(String.class).one()));
            // Head office keeps the full number, sealed, as it keeps a store's enrolment.
            java.util.Optional<String> number = office.db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT phone_box, phone_hmac, phone_masked FROM member WHERE id = :m").bind("m", wang)
                    .map((rs, ctx) -> office.server.phoneBoxes().open(h, rs.getString(1), rs.getString(2), rs.getString(3)))
                    .one());
            assertThat(number).contains("13800138001");
            assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE card_code = 'C-1002' AND home_store = 'S002'")).isOne();

            s1.syncEngine().orElseThrow().syncOnce();
            s2.syncEngine().orElseThrow().syncOnce();

            for (TerminalWiring t : List.of(s1, s2)) {
                assertThat(t.memberService().findByCode("C-1001")).map(Member::id).as(t.config().storeId()).contains(wang);
                assertThat(t.memberService().search("13800138001")).extracting(Member::id).containsExactly(wang);
                assertThat(t.memberService().findByCode("C-1002")).as(t.config().storeId()).isPresent();
            }
            // The home store holds the opening balances and the consent; head office agrees.
            assertThat(OfficeSyncContract.points(s1, wang)).isEqualTo(1200)
                    .isEqualTo(office.officeLong("SELECT SUM(delta) FROM points_entry WHERE member_id = ?", wang));
            assertThat(s1.database().jdbi().withHandle(h -> s1.storedValueLedger().balanceFen(h, wang)).longValue()).isEqualTo(5000);
            long consentsAtS1 = s1.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM member_consent WHERE member_id = :m AND granted AND channel LIKE 'MARKETING_%'")
                    .bind("m", wang).mapTo(Long.class).one());
            assertThat(consentsAtS1).isEqualTo(2);
            assertThat(office.officeLong("SELECT COUNT(*) FROM member_consent WHERE member_id = ? AND granted AND store_id IS NULL",
                    wang)).isEqualTo(2);

            // The imported member serves at another store as any member does: a sale there is accepted.
            s2.checkoutService().recordSale(wang, 10_000L, List.of());
            SyncReport pushed = s2.syncEngine().orElseThrow().syncOnce();
            assertThat(pushed.verdicts()).doesNotContainKeys("REJECTED", "REFUSED");
            assertThat(OfficeSyncContract.points(s2, wang))
                    .isEqualTo(office.officeLong("SELECT SUM(delta) FROM points_entry WHERE member_id = ?", wang))
                    .isGreaterThan(1200);
        }
    }

    @Test
    void aRowHeadOfficeCannotTakeIsRefusedAloneAndNamed() throws Exception {
        try (OfficeHarness office = OfficeHarness.h2()) {
            TerminalWiring s1 = office.terminal(tmp.resolve("s1"), "S001", "T1", Clock.systemUTC());
            Member known = s1.memberService().enrol("张伟", "13900139000", null);
            s1.syncEngine().orElseThrow().syncOnce();
            Path file = csv(HEADER
                    + known.cardCode() + ",,重卡,,NORMAL,0,0,,\n"
                    + "C-2,13900139000,重号,,NORMAL,0,0,,\n"
                    + "C-3,,无店,,NORMAL,0,0,,S999\n"
                    + "C-4,,坏等级,,PLATINUM,0,0,,\n"
                    + "C-5,13700137000,好人,,SILVER,10,0,no,\n"
                    + "C-6,13700137000,同号,,NORMAL,0,0,,\n");
            List<String> errors = new ArrayList<>();

            ImportResult result = importer(office).importFile(file, "S001", m -> errors.add(english(m)), ImportProgress.NONE);

            assertThat(result).isEqualTo(new ImportResult(1, 5));
            assertThat(errors).containsExactly(
                    "line 2: card_code \"" + known.cardCode() + "\" is already in the database",
                    "line 3: phone \"13900139000\" already belongs to 张伟 (card " + known.cardCode() + ")",
                    "line 4: home_store \"S999\" is not a store head office knows",
                    "line 5: tier \"PLATINUM\" is not one of NORMAL, SILVER, GOLD, DIAMOND",
                    "line 7: phone \"13700137000\" already belongs to 好人 (card C-5)");
            assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE enrolled_via = 'IMPORT'")).isOne();
            assertThat(office.officeLong("SELECT COUNT(*) FROM member WHERE card_code = 'C-5'")).isOne();
        }
    }

    @Test
    void aCardOrPhoneTakenByAnEarlierBatchOfTheFileIsRefused() throws Exception {
        try (OfficeHarness office = OfficeHarness.h2()) {
            office.terminal(tmp.resolve("s1"), "S001", "T1", Clock.systemUTC());
            StringBuilder text = new StringBuilder(HEADER);
            for (int i = 0; i < 1_000; i++) { // the first batch
                text.append("B-").append(i).append(",1380000").append(String.format("%04d", i)).append(",会员").append(i)
                        .append(",,NORMAL,0,0,,\n");
            }
            text.append("B-0x,13800000000,同号,,NORMAL,0,0,,\n"); // line 1002, in the second batch
            text.append("B-1x,,新人,,NORMAL,0,0,,\n");
            List<String> errors = new ArrayList<>();
            List<Long> told = new ArrayList<>();

            ImportResult result = importer(office).importFile(csv(text.toString()), "S001", m -> errors.add(english(m)),
                    (rows, read, size) -> told.add(rows));

            assertThat(result).isEqualTo(new ImportResult(1_001, 1));
            assertThat(told).containsExactly(1_000L, 1_002L);
            assertThat(errors).containsExactly("line 1002: phone \"13800000000\" already belongs to 会员0 (card B-0)");
        }
    }

    @Test
    void anUnknownOrUnsaidStoreRefusesTheFileAndImportsNothing() throws Exception {
        try (OfficeHarness office = OfficeHarness.h2()) {
            office.terminal(tmp.resolve("s1"), "S001", "T1", Clock.systemUTC());
            Path withColumn = csv(HEADER + "C-1,,甲,,NORMAL,0,0,,\n");
            Path without = csv("card_code,phone,name,birthday,tier,points,stored_value_fen\nC-1,,甲,,NORMAL,0,0\n");

            assertThatThrownBy(() -> importer(office).importFile(withColumn, "S404", m -> { }, ImportProgress.NONE))
                    .isInstanceOfSatisfying(ImportFileException.class, e -> assertThat(english(e.userMessage()))
                            .startsWith("Cannot import").contains("no store S404").endsWith("Nothing was imported."));
            assertThatThrownBy(() -> importer(office).importFile(without, null, m -> { }, ImportProgress.NONE))
                    .isInstanceOfSatisfying(ImportFileException.class, e -> assertThat(english(e.userMessage()))
                            .contains("--store STORE or a home_store column"));
            // A row that leaves its store empty, with no --store, is refused alone; a row short of fields is told only that.
            Path rows = csv(HEADER + "C-1,,甲,,NORMAL,0,0,,\nC-2,,乙\n");
            List<String> errors = new ArrayList<>();
            ImportResult result = importer(office).importFile(rows, null, m -> errors.add(english(m)), ImportProgress.NONE);
            assertThat(result).isEqualTo(new ImportResult(0, 2));
            assertThat(errors).containsExactly("line 2: home_store is required", "line 3: expected 9 columns, found 3");
            assertThat(office.officeLong("SELECT COUNT(*) FROM member")).isZero();
        }
    }

    private static MemberListImport importer(OfficeHarness office) {
        return new MemberListImport(office.db.jdbi(), Clock.systemUTC(), office.json, office.server.phoneBoxes());
    }

    private Path csv(String text) throws Exception {
        Path file = Files.createTempFile(tmp, "members", ".csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String english(UserMessage m) {
        return m.format(Messages.bundle(Locale.ENGLISH));
    }
}
