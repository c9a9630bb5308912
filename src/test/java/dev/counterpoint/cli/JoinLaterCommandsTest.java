package dev.counterpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.member.Member;
import dev.counterpoint.member.Phones;
import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.office.Registrations;
import dev.counterpoint.protocol.ProtocolJson;
import dev.counterpoint.store.DataKey;
import dev.counterpoint.store.TerminalConfig;
import dev.counterpoint.sync.SyncSettings;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that ran alone (demo store, imported members, counter enrolments and sales) joins head office with `register`. */
class JoinLaterCommandsTest {
    private static final String IMPORTED_PHONE = "13912345678";
    private static final String ENROLLED_PHONE = "13700001234";

    @TempDir
    Path tmp;
    private OfficeDatabase officeDb;
    private OfficeServer server;
    private String url;

    @BeforeEach
    void office() {
        officeDb = OfficeDatabase.h2File(tmp.resolve("office"));
        server = new OfficeServer(officeDb, Clock.systemUTC(), ProtocolJson.newMapper(), 4);
        url = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @AfterEach
    void close() {
        server.close();
        officeDb.close();
    }

    @Test
    void aDemoStoreWithImportedMembersJoinsAndHeadOfficeHoldsItsMembersUnderTheChainKey() throws Exception {
        Path store = tmp.resolve("store");
        assertThat(run(store, "demo-data").exit()).isZero();
        Path csv = Files.writeString(tmp.resolve("members.csv"), "card_code,phone,name,birthday,tier,points,stored_value_fen\n"
                + "L0001," + IMPORTED_PHONE + ",钱多多,1980-02-03,SILVER,500,10000\nL0002,,无电话,,,,\n");
        assertThat(run(store, "import-members", csv.toString()).exit()).isZero();
        Member enrolled;
        try (TerminalWiring alone = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            enrolled = alone.memberService().enrol("孙悟空", ENROLLED_PHONE, null);
            assertThat(alone.checkoutService().recordSale(enrolled.id(), 5_000L, List.of()).receiptNo()).isEqualTo("S001-T1-000001");
        }
        long members = count(store, "SELECT COUNT(*) FROM member");
        long phones = count(store, "SELECT COUNT(*) FROM member WHERE phone_hmac IS NOT NULL");

        LookupCommandTest.Run registered = run(store, "register", "--office", url, code("S017", "T2"));
        assertThat(registered.exit()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("Registered as store S017, terminal T2")
                .contains("Joined head office: " + phones + " members' phones re-keyed with head office's phone key");

        LookupCommandTest.Run synced = run(store, "sync");
        assertThat(synced.exit()).as(synced.err()).isZero();
        assertThat(synced.out()).contains("ACCEPTED").doesNotContain("REJECTED");

        Phones chain = new Phones(HexFormat.of().parseHex(new Registrations(officeDb, Clock.systemUTC()).chainPhoneKey()));
        assertThat(officeCount("SELECT COUNT(*) FROM member WHERE home_store = 'S017'")).isEqualTo(members);
        assertThat(officeCount("SELECT COUNT(*) FROM inbox WHERE verdict = 'REJECTED'")).isZero();
        assertThat(office("SELECT phone_hmac FROM member WHERE card_code = 'L0001'")).isEqualTo(chain.hmac(IMPORTED_PHONE));
        assertThat(office("SELECT phone_hmac FROM member WHERE id = '" + enrolled.id() + "'")).isEqualTo(chain.hmac(ENROLLED_PHONE));
        assertThat(officeCount("SELECT COUNT(*) FROM purchase WHERE receipt_no = 'S017-T2-000001'")).isOne();
        assertThat(officeCount("SELECT COUNT(*) FROM purchase WHERE receipt_no LIKE 'S017-DEMO-%'")).isPositive();
        // Every phone head office holds is one this store's counter can find: both hash with the chain's key.
        assertThat(officeCount("SELECT COUNT(*) FROM member WHERE phone_hmac IS NOT NULL")).isEqualTo(phones);

        // The rows too: the demo history's receipts and every purchase's store and terminal (thousands, in pages).
        assertThat(count(store, "SELECT COUNT(*) FROM purchase WHERE receipt_no LIKE 'S001-%' OR store_id <> 'S017' "
                + "OR terminal_id <> 'T2'")).isZero();
        assertThat(count(store, "SELECT COUNT(*) FROM purchase WHERE receipt_no LIKE 'S017-DEMO-%'")).isGreaterThan(2_000);
        try (TerminalWiring joined = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            assertThat(joined.memberService().search(IMPORTED_PHONE)).extracting(Member::cardCode).containsExactly("L0001");
            assertThat(joined.memberService().search(ENROLLED_PHONE)).extracting(Member::id).containsExactly(enrolled.id());
            assertThat(joined.memberService().search("2900000000018")).extracting(Member::homeStore).containsExactly("S017");
        }
        LookupCommandTest.Run again = run(store, "sync");
        assertThat(again.out()).contains("Pushed 0 events");
    }

    @Test
    void phonesThatCannotBeReKeyedAreNamedAndKeptUntilClearingThemIsAsked() throws Exception {
        Path store = tmp.resolve("store");
        try (TerminalWiring alone = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            alone.memberService().enrol("赵敏", ENROLLED_PHONE, null);
            alone.memberService().enrol("周芷若", IMPORTED_PHONE, null);
        }
        // The phones were stored before phones were kept sealed (an earlier version): none can be unsealed. (A lost
        // data key no longer gets this far: the database itself is encrypted under it, decision 0040.)
        try (TerminalWiring earlier = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            earlier.database().jdbi().useHandle(h -> h.execute("UPDATE member SET phone_sealed = NULL"));
        }
        String code = code("S020", "T1");

        LookupCommandTest.Run en = run(store, "register", "--office", url, code);
        assertThat(en.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(en.err()).startsWith("Not registered: 2 members' phone numbers cannot be re-keyed")
                .contains(DataKey.of(TerminalConfig.loadOrCreate(store)).file().toString())
                .contains("Nothing was sent and the code still works").contains("--drop-unkeyed-phones");
        LookupCommandTest.Run zh = LookupCommandTest.run("--data-dir", store.toString(), "--lang", "zh", "register", "--office", url, code);
        assertThat(zh.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(zh.err()).startsWith("未注册：有 2 位会员的手机号无法").contains("注册码仍然有效");
        assertThat(store.resolve(SyncSettings.FILE_NAME)).doesNotExist();

        LookupCommandTest.Run dropped = run(store, "register", "--office", url, code, "--drop-unkeyed-phones");
        assertThat(dropped.exit()).as(dropped.err()).isZero();
        assertThat(dropped.out()).contains("Registered as store S020").contains("2 members' phones could not be re-keyed and were cleared");
        assertThat(run(store, "sync").exit()).isZero();
        assertThat(officeCount("SELECT COUNT(*) FROM member WHERE phone_hmac IS NULL AND phone_masked = '137****1234'")).isOne();
    }

    private static LookupCommandTest.Run run(Path store, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] {"--data-dir", store.toString(), "--lang", "en"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        return LookupCommandTest.run(all);
    }

    private String code(String store, String terminal) {
        return server.registrations().addTerminal(store, terminal);
    }

    private static long count(Path store, String sql) {
        try (TerminalWiring ctx = TerminalWiring.open(store, Locale.ENGLISH, Clock.systemUTC())) {
            return ctx.database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
        }
    }

    private Jdbi officeJdbi() {
        return officeDb.jdbi();
    }

    private long officeCount(String sql) {
        return officeJdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private String office(String sql) {
        return officeJdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }
}
