package dev.counterpoint.importer;

import static dev.counterpoint.importer.ImportTestSupport.count;
import static dev.counterpoint.importer.ImportTestSupport.write;
import static dev.counterpoint.importer.ImportTestSupport.writeBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.member.ConsentRecord;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.ReasonCode;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.wiring.TerminalWiring;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberImporterTest {
    static final String HEADER = "card_code,phone,name,birthday,tier,points,stored_value_fen";

    @TempDir
    Path dir;
    TerminalWiring ctx;
    ImportTestSupport support;

    @BeforeEach
    void setUp() {
        ctx = ImportTestSupport.context(dir);
        support = ImportTestSupport.create();
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    ImportResult importText(String text) throws ImportFileException {
        return importFile(write(dir, "members.csv", text));
    }

    ImportResult importFile(Path file) throws ImportFileException {
        return ctx.memberImporter().importFile(file, support::report);
    }

    MemberSummary summary(String code) {
        return ctx.memberSummaryService().byCode(code).orElseThrow();
    }

    @Test
    void importsMembersWithBomCrlfQuotingPhoneFormsTiersAndEmptyFields() throws Exception {
        String text = "\uFEFF" + HEADER + "\r\n"
                + "2900000000017,+86 138-0013-5678,\"Wang, \"\"Fang\"\"\",1990-11-25,gold,1200,5000\r\n"
                + "\r\n"
                + "2900000000024,8613900001111,李娜,,Silver,,\r\n"
                + "2900000000031, 137 0000 2222 ,张伟,1985-01-02,,0,0\r\n"
                + "2900000000048,,赵敏,,DIAMOND,7,\r\n";

        ImportResult result = importText(text);

        assertThat(support.errors).isEmpty();
        assertThat(result).isEqualTo(new ImportResult(4, 0));
        MemberSummary wang = summary("2900000000017");
        assertThat(wang.member().displayName()).isEqualTo("Wang, \"Fang\"");
        assertThat(wang.member().phoneMasked()).isEqualTo("138****5678");
        assertThat(wang.member().birthday()).isEqualTo(LocalDate.of(1990, 11, 25));
        assertThat(wang.member().tier()).isEqualTo(Tier.GOLD);
        assertThat(wang.member().enrolledVia()).isEqualTo(EnrolmentSource.IMPORT);
        assertThat(wang.member().homeStore()).isEqualTo(ctx.config().storeId());
        assertThat(wang.points()).isEqualTo(1200);
        assertThat(wang.storedValueFen()).isEqualTo(5000);
        MemberSummary li = summary("2900000000024");
        assertThat(li.member().phoneMasked()).isEqualTo("139****1111");
        assertThat(li.member().tier()).isEqualTo(Tier.SILVER);
        assertThat(li.member().birthday()).isNull();
        assertThat(li.points()).isZero();
        assertThat(li.storedValueFen()).isZero();
        assertThat(summary("2900000000031").member().phoneMasked()).isEqualTo("137****2222");
        assertThat(summary("2900000000031").member().tier()).isEqualTo(Tier.NORMAL);
        assertThat(summary("2900000000048").member().phoneMasked()).isNull();
        assertThat(summary("2900000000048").member().tier()).isEqualTo(Tier.DIAMOND);
        // The phone is findable by exact lookup, as for members enrolled at the counter.
        assertThat(ctx.memberService().search("13800135678")).extracting(Member::cardCode).containsExactly("2900000000017");
    }

    @Test
    void openingBalancesAreOpeningEntriesWithALotExpiryAndEachMemberWritesOneEvent() throws Exception {
        importText(HEADER + "\n2900000000017,13800135678,王芳,,,1200,5000\n2900000000024,,李娜,,,,\n");

        List<Map<String, Object>> pointsRows = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT delta, kind, CAST(lot_expires_on AS VARCHAR) AS expires FROM points_entry").mapToMap().list());
        assertThat(pointsRows).containsExactly(Map.of("delta", 1200L, "kind", "OPENING", "expires", "2027-11-23"));
        List<Map<String, Object>> svRows = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT delta_fen, kind FROM sv_entry").mapToMap().list());
        assertThat(svRows).containsExactly(Map.of("delta_fen", 5000L, "kind", "OPENING"));
        List<String> payloads = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = 'member.imported' ORDER BY terminal_seq").mapTo(String.class).list());
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event")).isEqualTo(2);
        JsonNode first = ctx.json().readTree(payloads.get(0));
        assertThat(first.get("card_code").asText()).isEqualTo("2900000000017");
        assertThat(first.get("source").asText()).isEqualTo("IMPORT");
        assertThat(first.get("phone_masked").asText()).isEqualTo("138****5678");
        assertThat(first.get("home_store").asText()).isEqualTo("S001");
        assertThat(first.get("opening_points").asLong()).isEqualTo(1200);
        assertThat(first.get("opening_points_expire_on").asText()).isEqualTo("2027-11-23");
        assertThat(first.get("opening_stored_value_fen").asLong()).isEqualTo(5000);
        assertThat(payloads.get(0)).doesNotContain("13800135678");
        assertThat(count(ctx, "SELECT COUNT(*) FROM member WHERE phone_sealed IS NOT NULL")).isOne(); // the one with a phone
        JsonNode second = ctx.json().readTree(payloads.get(1));
        assertThat(second.get("opening_points").asLong()).isZero();
        assertThat(second.get("points_entry_id").isNull()).isTrue();
    }

    @Test
    void importedMembersGetNoWelcomeOffer() throws Exception {
        importText(HEADER + "\n2900000000017,,王芳,,,,\n");
        Member counter = ctx.memberService().enrol("李娜", "13900001111", null);

        assertThat(summary("2900000000017").suggestions()).extracting(s -> s.reason()).doesNotContain(ReasonCode.WELCOME);
        assertThat(summary(counter.cardCode()).suggestions()).extracting(s -> s.reason()).contains(ReasonCode.WELCOME);
    }

    @Test
    void eachBadRowIsReportedWithLineColumnAndReasonAndGoodRowsAreImported() throws Exception {
        Member existing = ctx.memberService().enrol("老会员", "13500001234", null);
        String text = HEADER + "\n"
                + "2900000000017,12345,王芳,,,,\n"                               // 2 bad phone
                + "2900000000024,,李娜,2025-02-30,,,\n"                          // 3 no such date
                + "2900000000031,,张伟,,PLATINUM,,\n"                             // 4 unknown tier
                + "2900000000048,,赵敏,,,-5,\n"                                   // 5 negative points
                + "2900000000055,,钱七,,,1.5,abc\n"                               // 6 not integers
                + "2900000000062,,,,,,\n"                                        // 7 no name
                + "," + "13600001111,孙八,,,,\n"                                  // 8 no card code
                + existing.cardCode() + ",,周九,,,,\n"                            // 9 card in database
                + "2900000000079,135-0000-1234,吴十,,,,\n"                         // 10 phone of another member
                + "2900000000086,,郑一\n"                                         // 11 too few columns
                + "2900000000093,,冯二,2030-01-01,,,\n"                           // 12 birthday in the future
                + "2900000000109,,陈三,,,,10000000001\n"                          // 13 above ¥100 million
                + "29000 00000116,,褚四,,,,\n"                                    // 14 space in card code
                + "2900000000123,,王芳,,,,\n";                                     // 15 good

        ImportResult result = importText(text);

        assertThat(support.errors).containsExactly(
                "line 2: phone \"12345\" is not a mainland mobile number",
                "line 3: birthday \"2025-02-30\" is not a real date in the form YYYY-MM-DD",
                "line 4: tier \"PLATINUM\" is not one of NORMAL, SILVER, GOLD, DIAMOND",
                "line 5: points \"-5\" is not a whole number of zero or more",
                "line 6: points \"1.5\" is not a whole number of zero or more",
                "line 6: stored_value_fen \"abc\" is not a whole number of zero or more",
                "line 7: name is required",
                "line 8: card_code is required",
                "line 9: card_code \"" + existing.cardCode() + "\" is already in the database",
                "line 10: phone \"135-0000-1234\" already belongs to 老会员 (card " + existing.cardCode() + ")",
                "line 11: expected 7 columns, found 3",
                "line 12: birthday \"2030-01-01\" must be in the past and not before 1900",
                "line 13: stored_value_fen \"10000000001\" is more than 10000000",
                "line 14: card_code \"29000 00000116\" must not contain spaces or control characters");
        assertThat(result).isEqualTo(new ImportResult(1, 13));
        assertThat(count(ctx, "SELECT COUNT(*) FROM member")).isEqualTo(2);
        assertThat(summary("2900000000123").member().displayName()).isEqualTo("王芳");
    }

    @Test
    void problemsFoundInTheStoreAreToldInTheirColumnsPlaceAmongTheRowsOthers() throws Exception {
        Member existing = ctx.memberService().enrol("老会员", "13500001234", null);

        importText(HEADER + "\n"
                + existing.cardCode() + ",135-0000-1234,,1800-01-01,,,\n");

        assertThat(support.errors).containsExactly(
                "line 2: card_code \"" + existing.cardCode() + "\" is already in the database",
                "line 2: name is required",
                "line 2: phone \"135-0000-1234\" already belongs to 老会员 (card " + existing.cardCode() + ")",
                "line 2: birthday \"1800-01-01\" must be in the past and not before 1900");
    }

    @Test
    void progressIsToldAfterEachChunkUpToTheWholeFile() throws Exception {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        int rows = MemberImporter.BATCH_ROWS + 10;
        for (int i = 0; i < rows; i++) {
            text.append(String.format("29%011d,,会员%d,,,,%n", i, i));
        }
        text.append("bad code,,坏,,,,\n");
        Path file = write(dir, "members.csv", text.toString());
        List<long[]> told = new java.util.ArrayList<>();

        ImportResult result = ctx.memberImporter().importFile(file, support::report,
                (done, read, total) -> told.add(new long[] {done, read, total}));

        assertThat(result).isEqualTo(new ImportResult(rows, 1));
        assertThat(told).hasSize(2);
        assertThat(told.get(0)[0]).isEqualTo(MemberImporter.BATCH_ROWS);
        assertThat(told.get(0)[1]).isPositive().isLessThanOrEqualTo(told.get(1)[1]);
        assertThat(told.get(1)).containsExactly(rows + 1, java.nio.file.Files.size(file), java.nio.file.Files.size(file));
    }

    @Test
    void overLongFieldsAreRefused() throws Exception {
        String longName = "名".repeat(41);
        String longCode = "2".repeat(65);
        ImportResult result = importText(HEADER + "\n"
                + "2900000000017,,"  + longName + ",,,,\n"
                + longCode + ",,王芳,,,,\n"
                + "2900000000024,1380013567800000000000000000000000,李娜,,,,\n"
                + "2900000000031,,张伟,,,10000000000000000000000,\n");

        assertThat(support.errors).containsExactly(
                "line 2: name is longer than 40 characters",
                "line 3: card_code is longer than 64 characters",
                "line 4: phone is longer than 32 characters",
                "line 5: points \"10000000000000000000000\" is more than 10000000");
        assertThat(result).isEqualTo(new ImportResult(0, 4));
    }

    @Test
    void aCardCodeRepeatedInTheFileIsRefusedEvenWhenTheFirstRowWasBad() throws Exception {
        ImportResult result = importText(HEADER + "\n"
                + "2900000000017,,王芳,,,,\n"
                + "2900000000017,,王芳,,,,\n"
                + "2900000000024,bad,李娜,,,,\n"
                + "2900000000024,,李娜,,,,\n");

        assertThat(support.errors).containsExactly(
                "line 3: card_code \"2900000000017\" repeats line 2",
                "line 4: phone \"bad\" is not a mainland mobile number",
                "line 5: card_code \"2900000000024\" repeats line 4");
        assertThat(result).isEqualTo(new ImportResult(1, 3));
    }

    @Test
    void aPhoneUsedEarlierInTheSameFileIsRefused() throws Exception {
        ImportResult result = importText(HEADER + "\n"
                + "2900000000017,13800135678,王芳,,,,\n"
                + "2900000000024,+86 138 0013 5678,李娜,,,,\n");

        assertThat(support.errors).containsExactly(
                "line 3: phone \"+86 138 0013 5678\" already belongs to 王芳 (card 2900000000017)");
        assertThat(result).isEqualTo(new ImportResult(1, 1));
    }

    @Test
    void lineNumbersArePhysicalLinesAcrossBlankLinesAndQuotedLineBreaks() throws Exception {
        String text = HEADER + "\n"
                + "\n"
                + "2900000000017,,\"王\n芳\",,,,\n"                  // 3-4: a name with a line break
                + "\n\n"
                + "2900000000024,,\"李娜\",,,\"x\r\ny\",\n"          // 7-8
                + "2900000000031,,张伟,,,oops,\n"                    // 9
                + "   \n"
                + "2900000000048,,赵敏,,,,";                          // 11, no final line break

        ImportResult result = importText(text);

        assertThat(support.errors).containsExactly(
                "line 3: name must not contain line breaks or other control characters",
                "line 7: points \"x  y\" is not a whole number of zero or more",
                "line 9: points \"oops\" is not a whole number of zero or more");
        assertThat(result).isEqualTo(new ImportResult(1, 3));
        assertThat(summary("2900000000048").member().displayName()).isEqualTo("赵敏");
    }

    @Test
    void goodRowsOfEveryBatchAreKeptAndDuplicatesAreFoundAcrossBatches() throws Exception {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        int rows = MemberImporter.BATCH_ROWS * 2 + 7;
        for (int i = 0; i < rows; i++) {
            text.append(String.format("29%011d,138%08d,会员%d,,,%d,%d%n", i, i, i, i, i * 10));
        }
        // A bad row late in the file, and repeats of a code and a phone from the first batch.
        text.append("2900000099999,,坏,,,-1,\n");
        text.append("2900000000003,,重复,,,,\n");
        text.append("2900000088888,13800000004,重复手机,,,,\n");

        ImportResult result = importText(text.toString());

        assertThat(result).isEqualTo(new ImportResult(rows, 3));
        assertThat(support.errors).containsExactly(
                "line " + (rows + 2) + ": points \"-1\" is not a whole number of zero or more",
                "line " + (rows + 3) + ": card_code \"2900000000003\" repeats line 5",
                "line " + (rows + 4) + ": phone \"13800000004\" already belongs to 会员4 (card 2900000000004)");
        assertThat(count(ctx, "SELECT COUNT(*) FROM member")).isEqualTo(rows);
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'member.imported'")).isEqualTo(rows);
        assertThat(count(ctx, "SELECT COALESCE(SUM(delta), 0) FROM points_entry")).isEqualTo((long) rows * (rows - 1) / 2);
        assertThat(summary("2900000001006").storedValueFen()).isEqualTo(10_060);
    }

    @Test
    void headerColumnsMayComeInAnyOrderAndCase() throws Exception {
        ImportResult result = importText("Name, CARD_CODE,points,phone,tier,birthday,stored_value_fen\n王芳,2900000000017,5,,,,\n");

        assertThat(result).isEqualTo(new ImportResult(1, 0));
        assertThat(summary("2900000000017").points()).isEqualTo(5);
    }

    @Test
    void aFileWithoutItsHeaderIsRefusedWhole() {
        Path file = write(dir, "members.csv", "2900000000017,13800135678,王芳,,,,\n");

        assertThatThrownBy(() -> importFile(file)).isInstanceOfSatisfying(ImportFileException.class, e ->
                assertThat(e.userMessage().format(java.util.Locale.ENGLISH)).isEqualTo("Cannot import " + file
                        + ": the first line must be the header " + HEADER + "[,marketing_consent], but it is 2900000000017,13800135678,王芳,,,,."
                        + " Nothing was imported."));
        assertThat(count(ctx, "SELECT COUNT(*) FROM member")).isZero();
    }

    @Test
    void aHeaderWithAMissingOrExtraColumnIsRefused() {
        Path missing = write(dir, "a.csv", "card_code,phone,name,birthday,tier,points\n2900000000017,,王芳,,,\n");
        Path extra = write(dir, "b.csv", HEADER + ",email\n2900000000017,,王芳,,,,,x@y\n");
        Path twice = write(dir, "c.csv", "card_code,phone,name,birthday,tier,points,points\n");

        for (Path file : List.of(missing, extra, twice)) {
            assertThatThrownBy(() -> importFile(file)).isInstanceOfSatisfying(ImportFileException.class, e ->
                    assertThat(e.userMessage().key()).isEqualTo("import.file.badHeader"));
        }
        assertThat(count(ctx, "SELECT COUNT(*) FROM member")).isZero();
    }

    @Test
    void anEmptyFileHasNoHeader() {
        for (String text : List.of("", "\n\r\n  \n")) {
            Path file = write(dir, "empty.csv", text);
            assertThatThrownBy(() -> importFile(file)).isInstanceOfSatisfying(ImportFileException.class, e ->
                    assertThat(e.userMessage().format(java.util.Locale.ENGLISH)).isEqualTo("Cannot import " + file
                            + ": the file is empty; its first line must be the header " + HEADER + "[,marketing_consent]."));
        }
    }

    @Test
    void bytesThatAreNotUtf8AnywhereInTheFileStopTheImportBeforeAnythingIsWritten() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder good = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 2000; i++) {
            good.append(String.format("29%011d,,会员%d,,,,%n", i, i));
        }
        bytes.write(good.toString().getBytes(StandardCharsets.UTF_8));
        bytes.write("2900000099999,,".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {(byte) 0xCD, (byte) 0xF5, (byte) 0xB7, (byte) 0xBC}); // 王芳 in GBK
        bytes.write(",,,,\n".getBytes(StandardCharsets.UTF_8));
        Path file = writeBytes(dir, "gbk.csv", bytes.toByteArray());

        assertThatThrownBy(() -> importFile(file)).isInstanceOfSatisfying(ImportFileException.class, e ->
                assertThat(e.userMessage().key()).isEqualTo("import.file.notUtf8"));
        assertThat(count(ctx, "SELECT COUNT(*) FROM member")).isZero();
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event")).isZero();
    }

    @Test
    void anUnclosedQuoteStopsTheImportBeforeAnythingIsWritten() {
        Path file = write(dir, "members.csv", HEADER + "\n2900000000017,,王芳,,,,\n\n2900000000024,,\"李娜,,,,\n2900000000031,,张伟,,,,\n");

        assertThatThrownBy(() -> importFile(file)).isInstanceOfSatisfying(ImportFileException.class, e ->
                assertThat(e.userMessage().format(java.util.Locale.ENGLISH)).startsWith("Cannot import " + file
                        + ": the row starting on line 4 is not valid CSV"));
        assertThat(count(ctx, "SELECT COUNT(*) FROM member")).isZero();
    }

    @Test
    void aMissingFileOrAFolderCannotBeRead() {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> importFile(missing)).isInstanceOfSatisfying(ImportFileException.class, e ->
                assertThat(e.userMessage().format(java.util.Locale.ENGLISH))
                        .isEqualTo("Cannot import " + missing + ": the file does not exist."));
        assertThatThrownBy(() -> importFile(dir)).isInstanceOfSatisfying(ImportFileException.class, e ->
                assertThat(e.userMessage().key()).isEqualTo("import.file.unreadable"));
    }

    @Test
    void importingTheSameFileTwiceRefusesEveryRowTheSecondTime() throws Exception {
        String text = HEADER + "\n2900000000017,13800135678,王芳,,,100,\n";
        importText(text);
        support.errors.clear();

        ImportResult again = importText(text);

        assertThat(again).isEqualTo(new ImportResult(0, 1));
        assertThat(support.errors).containsExactly("line 2: card_code \"2900000000017\" is already in the database",
                "line 2: phone \"13800135678\" already belongs to 王芳 (card 2900000000017)");
        assertThat(summary("2900000000017").points()).isEqualTo(100);
    }

    // ---- marketing consent and text checks ----

    @Test
    void theMarketingConsentColumnTakesEverySpellingInAnyCaseForBothChannels() throws Exception {
        String text = HEADER + ",Marketing_Consent\n"
                + "2900000000017,,甲,,,,,yes\n"
                + "2900000000024,,乙,,,,,NO\n"
                + "2900000000031,,丙,,,,,1\n"
                + "2900000000048,,丁,,,,,0\n"
                + "2900000000055,,戊,,,,,是\n"
                + "2900000000062,,己,,,,,否\n"
                + "2900000000079,,庚,,,,, Yes \n"
                + "2900000000086,,辛,,,,,\n";

        ImportResult result = importText(text);

        assertThat(support.errors).isEmpty();
        assertThat(result).isEqualTo(new ImportResult(8, 0));
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("2900000000017", "MARKETING_SMS=true,MARKETING_WECHAT=true");
        expected.put("2900000000024", "MARKETING_SMS=false,MARKETING_WECHAT=false");
        expected.put("2900000000031", "MARKETING_SMS=true,MARKETING_WECHAT=true");
        expected.put("2900000000048", "MARKETING_SMS=false,MARKETING_WECHAT=false");
        expected.put("2900000000055", "MARKETING_SMS=true,MARKETING_WECHAT=true");
        expected.put("2900000000062", "MARKETING_SMS=false,MARKETING_WECHAT=false");
        expected.put("2900000000079", "MARKETING_SMS=true,MARKETING_WECHAT=true");
        expected.put("2900000000086", "");
        expected.forEach((code, consent) -> {
            UUID id = summary(code).member().id();
            List<ConsentRecord> held = ctx.memberService().consent(id);
            assertThat(held.stream().map(c -> c.channel() + "=" + c.granted()).collect(Collectors.joining(",")))
                    .as(code).isEqualTo(consent);
            assertThat(held).allSatisfy(c -> {
                assertThat(c.terminalId()).isEqualTo(ctx.config().terminalId());
                assertThat(c.staffId()).isNull();
                assertThat(c.recordedAt().toInstant()).isEqualTo(ImportTestSupport.CLOCK.instant());
            });
        });
        // One consent event per member that had a value, sent to head office beside the import.
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'member.consent'")).isEqualTo(7);
        String payload = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = 'member.consent' ORDER BY terminal_seq LIMIT 1")
                .mapTo(String.class).one());
        JsonNode event = ctx.json().readTree(payload);
        assertThat(event.get("privacy_notice").isNull()).isTrue();
        assertThat(event.get("marketing_sms").asBoolean()).isTrue();
        assertThat(event.get("marketing_wechat").asBoolean()).isTrue();
    }

    @Test
    void aMarketingConsentThatIsNotYesOrNoRefusesItsRowOnlyAndSaysWhy() throws Exception {
        ImportResult result = importText(HEADER + ",marketing_consent\n"
                + "2900000000017,,甲,,,,,yes\n"
                + "2900000000024,,乙,,,,,maybe\n"
                + "2900000000031,,丙,,,,,true\n"
                + "2900000000048,,丁,,,,,否\n");

        assertThat(result).isEqualTo(new ImportResult(2, 2));
        assertThat(support.errors).containsExactly(
                "line 3: marketing_consent \"maybe\" is not one of yes, no, 1, 0, 是, 否",
                "line 4: marketing_consent \"true\" is not one of yes, no, 1, 0, 是, 否");
        assertThat(ctx.memberService().findByCode("2900000000024")).isEmpty();
        assertThat(ctx.memberService().findByCode("2900000000017")).isPresent();
        assertThat(ctx.memberService().findByCode("2900000000048")).isPresent();
        assertThat(count(ctx, "SELECT COUNT(*) FROM member_consent")).isEqualTo(4);
    }

    @Test
    void withoutTheColumnNoConsentIsRecorded() throws Exception {
        importText(HEADER + "\n2900000000017,,甲,,,,\n");

        assertThat(count(ctx, "SELECT COUNT(*) FROM member_consent")).isZero();
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'member.consent'")).isZero();
    }

    @Test
    void aNameWithTextDirectionOrControlCharactersIsRefusedAndTheRestOfTheFileImports() throws Exception {
        ImportResult result = importText(HEADER + "\n"
                + "2900000000017,,王芳,,,,\n"
                + "2900000000024,,\"李\u202Eanil\",,,,\n"
                + "2900000000031,,\"张\u2066伟\u2069\",,,,\n"
                + "2900000000048,,\"赵\t敏\",,,,\n"
                + "290000000\u200F0055,,钱,,,,\n"
                + "29000000\u202D00062,,孙,,,,\n"
                + "2900000000079,,周,,,,\n");

        assertThat(result).isEqualTo(new ImportResult(2, 5));
        assertThat(support.errors).containsExactly(
                "line 3: name must not contain text-direction controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)",
                "line 4: name must not contain text-direction controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)",
                "line 5: name must not contain line breaks or other control characters",
                "line 6: card_code must not contain text-direction controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)",
                "line 7: card_code must not contain text-direction controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)");
        assertThat(ctx.memberService().findByCode("2900000000017")).isPresent();
        assertThat(ctx.memberService().findByCode("2900000000079")).isPresent();
        // A right-to-left mark (U+200F) reorders what is around it as the controls do.
        assertThat(ctx.memberService().findByCode("290000000\u200F0055")).isEmpty();
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'member.imported'")).isEqualTo(2);
    }
}
