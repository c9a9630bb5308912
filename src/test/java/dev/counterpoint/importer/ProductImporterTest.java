package dev.counterpoint.importer;

import static dev.counterpoint.importer.ImportTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.catalog.ProductNames;
import dev.counterpoint.checkout.MemberSummary;
import dev.counterpoint.history.PurchaseLine;
import dev.counterpoint.member.Member;
import dev.counterpoint.wiring.TerminalWiring;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductImporterTest {
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
        return ctx.productImporter().importFile(write(dir, "products.csv", text), support::report);
    }

    @Test
    void purchaseLinesAndFavouritesAreNamedInTheReadersLanguageOnceTheCatalogueHasThem() throws Exception {
        Member wang = ctx.memberService().enrol("王芳", "13800135678", null);
        for (int i = 0; i < 2; i++) {
            ctx.checkoutService().recordSale(wang.id(), null, List.of(new PurchaseLine("CF-LATTE", "咖啡", 1, 2_800),
                    new PurchaseLine("BR-UNLISTED", "面包", 1, 1_500), new PurchaseLine(null, "杂项", 1, 500)));
        }

        ImportResult result = importText("sku,name_zh,name_en,category\nCF-LATTE,拿铁,Latte,咖啡\nCK-ONLY-ZH,芝士蛋糕,,蛋糕\n");

        assertThat(result.imported()).isEqualTo(2);
        assertThat(support.errors).isEmpty();
        MemberSummary s = ctx.memberSummaryService().byId(wang.id()).orElseThrow();
        ProductNames names = s.products();
        List<PurchaseLine> lines = s.recentPurchases().get(0).lines();
        assertThat(lines).extracting(l -> names.label(l, Locale.SIMPLIFIED_CHINESE).orElse("—"))
                .containsExactly("拿铁", "BR-UNLISTED", "杂项");
        assertThat(lines).extracting(l -> names.label(l, Locale.ENGLISH).orElse("—"))
                .containsExactly("Latte", "BR-UNLISTED", "杂项");
        assertThat(s.favourites()).extracting(f -> names.label(f, Locale.ENGLISH)).contains("Latte", "BR-UNLISTED");
        assertThat(names.bySku()).as("only the SKUs on show are read").containsOnlyKeys("CF-LATTE");
        // the member panel and lookup word them so
        var panel = new dev.counterpoint.checkout.MemberPanelFormat(Locale.SIMPLIFIED_CHINESE, ImportTestSupport.SHANGHAI, "S001")
                .panel(s);
        assertThat(panel.purchases().get(0).items()).startsWith("拿铁, BR-UNLISTED, 杂项");
        assertThat(panel.favourites()).anySatisfy(f -> assertThat(f).startsWith("拿铁"));
        // A named product needs no category beside it (the till's word, often Chinese); a bare SKU keeps it.
        var english = new dev.counterpoint.checkout.MemberPanelFormat(Locale.ENGLISH, ImportTestSupport.SHANGHAI, "S001")
                .panel(s);
        assertThat(english.favourites()).contains("Latte · bought 2 times", "BR-UNLISTED (面包) · bought 2 times");
    }

    @Test
    void aNameInOneLanguageServesBothAndANewerListReplacesTheOlder() throws Exception {
        importText("sku,name_zh,name_en\nCK-ONLY-ZH,芝士蛋糕,\nCF-LATTE,拿铁,Latte\n");
        importText("sku,name_zh,name_en\nCF-LATTE,燕麦拿铁,Oat latte\n");

        ProductNames names = new ProductNames(ctx.database().jdbi().withHandle(h ->
                ctx.productRepository().bySku(h, List.of("CK-ONLY-ZH", "CF-LATTE"))));
        assertThat(names.name("CK-ONLY-ZH", Locale.ENGLISH)).isEqualTo("芝士蛋糕");
        assertThat(names.name("CF-LATTE", Locale.ENGLISH)).isEqualTo("Oat latte");
        assertThat(names.name("CF-LATTE", Locale.SIMPLIFIED_CHINESE)).isEqualTo("燕麦拿铁");
    }

    @Test
    void badRowsAreRefusedWithTheirLineAndTheGoodOnesKept() throws Exception {
        ImportResult result = importText("sku,name_zh,name_en\n"
                + "CF-LATTE,拿铁,Latte\n"
                + ",无编号,No SKU\n"
                + "CF-EMPTY,,\n"
                + "CF-LATTE,又一个,Again\n"
                + "CF-BIDI,\u202Eevil,Evil\n"
                + " CF-SPACED , 空格 ,Spaced\n"
                + "CF-SHORT,少一列\n");

        assertThat(result.imported()).as("the first row, and the one whose fields had spaces round them").isEqualTo(2);
        assertThat(result.rejected()).isEqualTo(5);
        assertThat(support.errors).containsExactly(
                "line 3: sku is required",
                "line 4: name_zh or name_en is required",
                "line 5: sku \"CF-LATTE\" repeats line 2",
                "line 6: name_zh must not contain text-direction controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)",
                "line 8: expected 3 columns, found 2");
        assertThat(ImportTestSupport.count(ctx, "SELECT COUNT(*) FROM product WHERE sku IN ('CF-LATTE', 'CF-SPACED')"))
                .isEqualTo(2);
        assertThat(ImportTestSupport.count(ctx, "SELECT COUNT(*) FROM product WHERE name_zh = '拿铁'")).isOne();
    }

    @Test
    void aFileWithoutTheHeaderIsRefusedWhole() {
        assertThatThrownBy(() -> importText("sku,name\nCF-LATTE,拿铁\n")).isInstanceOf(ImportFileException.class);
        assertThat(ImportTestSupport.count(ctx, "SELECT COUNT(*) FROM product")).isZero();
    }
}
