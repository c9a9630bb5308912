package dev.counterpoint.importer;

import static dev.counterpoint.importer.ImportTestSupport.count;
import static dev.counterpoint.importer.ImportTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.history.Favourite;
import dev.counterpoint.history.Purchase;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.protocol.PurchaseSource;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PurchaseImporterTest {
    static final String HEADER = "card_code,purchased_at,sku,category,qty,amount_fen";

    @TempDir
    Path dir;
    TerminalWiring ctx;
    ImportTestSupport support;
    Member wang;
    Member li;

    @BeforeEach
    void setUp() {
        ctx = ImportTestSupport.context(dir);
        support = ImportTestSupport.create();
        wang = ctx.memberService().enrol("王芳", "13800135678", null);
        li = ctx.memberService().enrol("李娜", "13900001111", null);
    }

    @AfterEach
    void tearDown() {
        ctx.close();
    }

    ImportResult importText(String text) throws ImportFileException {
        return ctx.purchaseImporter().importFile(write(dir, "purchases.csv", text), support::report);
    }

    MemberSummary summary(Member m) {
        return ctx.memberSummaryService().byId(m.id()).orElseThrow();
    }

    @Test
    void rowsOfOneCardAtOneMomentFormOnePurchaseThatEarnsNoPointsAndShowsInHistory() throws Exception {
        String w = wang.cardCode();
        ImportResult result = importText("\uFEFF" + HEADER + "\r\n"
                + w + ",2026-11-01T10:15:00,BEAN-01,咖啡豆,2,12800\r\n"
                + w + ",2026-11-01T10:15:00,LATTE,\"饮品, 热\",1,3250\r\n"
                + w + ",2026-11-10 09:00,BEAN-01,咖啡豆,1,6400\r\n"
                + "\r\n"
                + w + ",2026-11-20T01:00:00Z,,,1,500\r\n"
                + li.cardCode() + ",2026-11-20T09:00:00+08:00,TEA,茶,3,4500\r\n");

        assertThat(support.errors).isEmpty();
        assertThat(result).isEqualTo(new ImportResult(5, 0));
        MemberSummary s = summary(wang);
        assertThat(s.points()).isZero();
        assertThat(s.recentPurchases()).extracting(Purchase::purchasedAt).map(OffsetDateTime::toInstant).map(Object::toString)
                .containsExactly("2026-11-20T01:00:00Z", "2026-11-10T01:00:00Z", "2026-11-01T02:15:00Z");
        Purchase first = s.recentPurchases().get(2);
        assertThat(first.source()).isEqualTo(PurchaseSource.IMPORT);
        assertThat(first.totalFen()).isEqualTo(16_050);
        assertThat(first.lines()).containsExactly(new PurchaseLine("BEAN-01", "咖啡豆", 2, 12_800),
                new PurchaseLine("LATTE", "饮品, 热", 1, 3_250));
        assertThat(s.recentPurchases().get(0).lines()).containsExactly(new PurchaseLine(null, null, 1, 500));
        assertThat(s.favourites()).extracting(Favourite::sku).containsExactly("BEAN-01");
        assertThat(s.lastVisit()).map(Object::toString).contains("2026-11-20");
        assertThat(summary(li).recentPurchases()).hasSize(1);
        assertThat(count(ctx, "SELECT COUNT(*) FROM points_entry")).isZero();
        assertThat(count(ctx, "SELECT COUNT(*) FROM purchase WHERE source = 'IMPORT' AND store_id = 'S001'")).isEqualTo(4);
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'purchase.imported'")).isEqualTo(4);
        // 2 enrolments and 4 imports; showing the members also issued their due coupons, each with its own event
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type <> 'coupon.issued'")).isEqualTo(2 + 4);
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'coupon.issued'"))
                .isEqualTo(count(ctx, "SELECT COUNT(*) FROM coupon"));
    }

    @Test
    void thePurchaseEventCarriesTheLines() throws Exception {
        importText(HEADER + "\n" + wang.cardCode() + ",2026-11-01T10:15:00+08:00,BEAN-01,咖啡豆,2,12800\n"
                + wang.cardCode() + ",2026-11-01T10:15:00+08:00,LATTE,饮品,1,3250\n");

        String payload = ctx.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT payload FROM outbox_event WHERE type = 'purchase.imported'").mapTo(String.class).one());
        JsonNode event = ctx.json().readTree(payload);
        assertThat(event.get("member_id").asText()).isEqualTo(wang.id().toString());
        assertThat(event.get("card_code").asText()).isEqualTo(wang.cardCode());
        assertThat(java.time.OffsetDateTime.parse(event.get("purchased_at").asText())).isEqualTo("2026-11-01T10:15+08:00");
        assertThat(event.get("total_fen").asLong()).isEqualTo(16_050);
        assertThat(event.get("source").asText()).isEqualTo("IMPORT");
        assertThat(event.get("lines")).hasSize(2);
        assertThat(event.get("lines").get(1).get("sku").asText()).isEqualTo("LATTE");
    }

    @Test
    void badRowsAreReportedAndTheGoodLinesOfAPurchaseStillFormIt() throws Exception {
        String w = wang.cardCode();
        ImportResult result = importText(HEADER + "\n"
                + w + ",2026-11-01T10:15:00,BEAN-01,咖啡豆,2,12800\n"       // 2 good
                + w + ",2026-11-01T10:15:00,LATTE,饮品,0,3250\n"            // 3 qty zero
                + w + ",2026-11-01T10:15:00,CAKE,甜点,1,900\n"              // 4 good, same purchase as line 2
                + "2999999999999,2026-11-01T10:15:00,X,,1,100\n"            // 5 unknown card
                + w + ",2026-13-01T10:00:00,X,,1,100\n"                     // 6 no month 13
                + w + ",2026-11-30T10:00:00,X,,1,100\n"                     // 7 future
                + w + ",yesterday,X,,1.5,-3\n"                              // 8 three problems
                + w + ",2026-11-02T10:00:00,X,,,\n"                         // 9 qty and amount required
                + w + ",2026-11-02T10:00:00," + "S".repeat(65) + ",,1,1\n"  // 10 sku too long
                + "," + "2026-11-02T10:00:00,X,,1,1\n"                      // 11 no card
                + w + ",2026-11-02T10:00:00,X,,1\n");                       // 12 too few columns

        assertThat(support.errors).containsExactly(
                "line 3: qty \"0\" is not a whole number above zero",
                "line 5: card_code \"2999999999999\" is not a member on this terminal",
                "line 6: purchased_at \"2026-13-01T10:00:00\" is not an ISO date-time such as 2025-03-01T14:30:00 or 2025-03-01T14:30:00+08:00",
                "line 7: purchased_at \"2026-11-30T10:00:00\" is in the future",
                "line 8: purchased_at \"yesterday\" is not an ISO date-time such as 2025-03-01T14:30:00 or 2025-03-01T14:30:00+08:00",
                "line 8: qty \"1.5\" is not a whole number above zero",
                "line 8: amount_fen \"-3\" is not a whole number of zero or more",
                "line 9: qty is required",
                "line 9: amount_fen is required",
                "line 10: sku is longer than 64 characters",
                "line 11: card_code is required",
                "line 12: expected 6 columns, found 5");
        assertThat(result).isEqualTo(new ImportResult(2, 9));
        List<Purchase> purchases = summary(wang).recentPurchases();
        assertThat(purchases).hasSize(1);
        assertThat(purchases.get(0).lines()).extracting(PurchaseLine::sku).containsExactly("BEAN-01", "CAKE");
        assertThat(purchases.get(0).totalFen()).isEqualTo(13_700);
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'purchase.imported'")).isEqualTo(1);
    }

    @Test
    void aPurchaseSpanningTransactionBatchesIsWrittenWhole() throws Exception {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        int lines = PurchaseImporter.BATCH_ROWS + 3;
        for (int i = 0; i < lines; i++) {
            text.append(wang.cardCode()).append(",2026-11-01T10:15:00,SKU-").append(i).append(",,1,100\n");
        }
        text.append(li.cardCode()).append(",2026-11-01T10:15:00,TEA,,1,100\n");

        ImportResult result = importText(text.toString());

        assertThat(result).isEqualTo(new ImportResult(lines + 1, 0));
        assertThat(count(ctx, "SELECT COUNT(*) FROM purchase")).isEqualTo(2);
        assertThat(count(ctx, "SELECT COUNT(*) FROM purchase_line")).isEqualTo(lines + 1);
        assertThat(count(ctx, "SELECT total_fen FROM purchase WHERE member_id = '" + wang.id() + "'")).isEqualTo(lines * 100L);
        assertThat(count(ctx, "SELECT COUNT(*) FROM outbox_event WHERE type = 'purchase.imported'")).isEqualTo(2);
    }

    @Test
    void purchasesOfMembersImportedEarlierAreAccepted() throws Exception {
        ctx.memberImporter().importFile(write(dir, "members.csv",
                "card_code,phone,name,birthday,tier,points,stored_value_fen\nOLD-0001,,张伟,,GOLD,100,\n"), support::report);

        ImportResult result = importText(HEADER + "\nOLD-0001,2026-10-01T12:00:00,BEAN-01,咖啡豆,1,6400\n");

        assertThat(result).isEqualTo(new ImportResult(1, 0));
        MemberSummary s = ctx.memberSummaryService().byCode("OLD-0001").orElseThrow();
        assertThat(s.recentPurchases()).hasSize(1);
        assertThat(s.points()).isEqualTo(100); // the opening balance only: history earns nothing
    }

    @Test
    void aPurchasesFileWithTheMembersHeaderIsRefused() {
        Path file = write(dir, "wrong.csv", "card_code,phone,name,birthday,tier,points,stored_value_fen\n");

        assertThatThrownBy(() -> ctx.purchaseImporter().importFile(file, support::report))
                .isInstanceOfSatisfying(ImportFileException.class, e -> assertThat(e.userMessage().format(Locale.ENGLISH))
                        .isEqualTo("Cannot import " + file + ": the first line must be the header " + HEADER
                                + ", but it is card_code,phone,name,birthday,tier,points,stored_value_fen. Nothing was imported."));
    }

    @Test
    void anItemWithATextDirectionOrControlCharacterIsRefusedAndTheOtherLinesImport() throws Exception {
        String w = wang.cardCode();
        ImportResult result = importText(HEADER + "\n"
                + w + ",2026-11-01T10:15:00,BEAN-01,咖啡豆,1,6400\n"
                + w + ",2026-11-02T10:15:00,\"LATTE\u202E\",饮品,1,3200\n"
                + w + ",2026-11-03T10:15:00,TEA,\"茶\u0007\",1,3000\n");

        assertThat(result).isEqualTo(new ImportResult(1, 2));
        assertThat(support.errors).containsExactly(
                "line 3: sku must not contain text-direction controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)",
                "line 4: category must not contain line breaks or other control characters");
        assertThat(count(ctx, "SELECT COUNT(*) FROM purchase_line")).isEqualTo(1);
    }
}
