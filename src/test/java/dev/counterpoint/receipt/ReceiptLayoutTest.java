package dev.counterpoint.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.shared.Messages;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The receipt layout in both languages: nothing wider than the paper, Chinese counted as two columns. */
class ReceiptLayoutTest {
    static Stream<Arguments> languagesAndWidths() {
        return Stream.of(Locale.ENGLISH, Messages.CHINESE).flatMap(l -> Stream.of(24, 32, 42, 48)
                .map(w -> Arguments.of(l, w)));
    }

    @ParameterizedTest
    @MethodSource("languagesAndWidths")
    void everyRowOfEveryReceiptFitsThePaper(Locale locale, int width) {
        ReceiptFormatter f = new ReceiptFormatter(Messages.bundle(locale));
        for (ReceiptDoc doc : List.<ReceiptDoc>of(ReceiptSamples.sale(), ReceiptSamples.refund(),
                ReceiptSamples.voidTakingARaiseBack(), ReceiptSamples.day(), ReceiptSamples.dayWithLateSales())) {
            for (boolean reprint : new boolean[] {false, true}) {
                List<ReceiptLayout.Row> rows = f.layout(doc, reprint).render(width);
                assertThat(rows).isNotEmpty();
                for (ReceiptLayout.Row r : rows) {
                    int cols = r.style() == ReceiptLayout.Style.LARGE ? width / 2 : width;
                    assertThat(Glyphs.width(r.text())).as("%s at %d: %s", locale, width, r.text()).isLessThanOrEqualTo(cols);
                    assertThat(r.text()).doesNotEndWith(" ");
                }
            }
        }
    }

    @Test
    void chineseTakesTwoColumnsAndFiguresEndAtTheRightEdge() {
        List<ReceiptLayout.Row> rows = new ReceiptFormatter(Messages.bundle(Messages.CHINESE))
                .layout(ReceiptSamples.sale()).render(32);
        String total = row(rows, "合计");
        // 合计 is four columns, the amount eleven: 17 spaces fill the 32.
        assertThat(total).isEqualTo("合计" + " ".repeat(17) + "¥123,556.78");
        assertThat(Glyphs.width(total)).isEqualTo(32);
        String payable = row(rows, "应付");
        assertThat(payable).endsWith("¥123,509.78");
        assertThat(rows.stream().filter(r -> r.text().startsWith("应付")).findFirst().orElseThrow().style())
                .isEqualTo(ReceiptLayout.Style.BOLD);
        assertThat(row(rows, "积分余额")).endsWith("883");
        assertThat(row(rows, "再消费")).isEqualTo("再消费 ¥1,200.00 升级为钻石。");
        assertThat(row(rows, "300 积分")).isEqualTo("300 积分将于 2026-12-31 过期。");
        assertThat(rows.stream().map(ReceiptLayout.Row::text)).anyMatch(t -> t.contains("BD-4F8H2J"));
        // The header is large: half the columns, centred in them.
        ReceiptLayout.Row store = rows.get(0);
        assertThat(store.style()).isEqualTo(ReceiptLayout.Style.LARGE);
        assertThat(Glyphs.width(store.text())).isLessThanOrEqualTo(16);
        // Only the card's last four digits are printed.
        assertThat(rows.stream().map(ReceiptLayout.Row::text)).noneMatch(t -> t.contains("2900000000018"))
                .anyMatch(t -> t.startsWith("会员 ****0018  金卡"));
    }

    @Test
    void theZReportPrintsWhatCameAfterEarlierClosesOnlyWhenThereIsAnyInBothLanguages() {
        String english = new ReceiptFormatter(Messages.bundle(Locale.ENGLISH)).layout(ReceiptSamples.dayWithLateSales())
                .plainText(42);
        assertThat(english).contains("After the close of 2026-12-03\nVoids (1)" + " ".repeat(27) + "¥15.00\n",
                "After the close of 2026-12-04\nSales (2)" + " ".repeat(27) + "¥86.00\nRefunds (1)" + " ".repeat(25)
                        + "¥20.00\n");
        assertThat(english.substring(english.indexOf("2026-12-03"), english.indexOf("2026-12-04"))).doesNotContain("Sales");
        String chinese = new ReceiptFormatter(Messages.bundle(Messages.CHINESE)).layout(ReceiptSamples.dayWithLateSales())
                .plainText(32);
        assertThat(chinese).contains("2026-12-04 日结之后\n销售（2 笔）", "¥86.00\n退款（1 笔）");
        assertThat(new ReceiptFormatter(Messages.bundle(Locale.ENGLISH)).layout(ReceiptSamples.day()).plainText(42))
                .doesNotContain("After the close");
    }

    @Test
    void englishReceiptSaysTheSameFigures() {
        String text = new ReceiptFormatter(Messages.bundle(Locale.ENGLISH)).layout(ReceiptSamples.sale()).plainText(42);
        assertThat(text).contains("Receipt", "S001-T1-000001", "LATTE x2", "Coupon WB-7K2M9Q", "-¥15.00",
                "Points earned", "+83", "Points balance", "Stored value left", "¥20.00",
                "Spend ¥1,200.00 more to reach Diamond.", "300 points expire on 2026-12-31.",
                "Coupons in your wallet (1):", "Now Gold: welcome!");
        for (String line : text.split("\n")) {
            assertThat(Glyphs.width(line)).as(line).isLessThanOrEqualTo(42);
        }
    }

    @Test
    void aVoidThatTookARaiseBackSaysTheTierAndTheVoidedPerksInBothLanguages() {
        ReceiptDoc.Refund v = ReceiptSamples.voidTakingARaiseBack();
        String english = new ReceiptFormatter(Messages.bundle(Locale.ENGLISH)).layout(v).plainText(32);
        assertThat(english).contains("Member ****0018\nTier back to Diamond\nPerk coupon TP-8M3K2Q7X is void.\n"
                + "Perk coupon TP-4H9J6W2R is void.");
        String chinese = new ReceiptFormatter(Messages.bundle(Messages.CHINESE)).layout(v).plainText(32);
        assertThat(chinese).contains("会员等级回到钻石", "礼遇券 TP-8M3K2Q7X 已作废。", "礼遇券 TP-4H9J6W2R 已作废。");
        // a refund, or a void that took nothing back, says nothing of the tier
        assertThat(new ReceiptFormatter(Messages.bundle(Locale.ENGLISH)).layout(ReceiptSamples.refund()).plainText(32))
                .doesNotContain("Tier", "Perk");
    }

    @Test
    void aLongLabelWrapsAndItsFigureStaysRightAligned() {
        List<ReceiptLayout.Row> rows = new ReceiptLayout.Builder()
                .pair("BEAN-ETHIOPIA-YIRGACHEFFE-250G 咖啡豆 x3", "¥180.00").build().render(24);
        assertThat(rows).extracting(ReceiptLayout.Row::text)
                .containsExactly("BEAN-ETHIOPIA-YIRGACHEFF", "E-250G 咖啡豆 x3 ¥180.00");
        List<ReceiptLayout.Row> chinese = new ReceiptLayout.Builder()
                .pair("中文商品名称很长很长很长很长很长", "¥1.00").build().render(24);
        // twelve characters fill a row; the rest and the figure share the next
        assertThat(chinese).extracting(ReceiptLayout.Row::text)
                .containsExactly("中文商品名称很长很长很长", "很长很长" + " ".repeat(11) + "¥1.00");
    }

    @Test
    void unprintableCharactersBecomeQuestionMarksAndCountOneColumn() {
        List<ReceiptLayout.Row> rows = new ReceiptLayout.Builder().left("A\u001B@B😀C").build().render(24);
        assertThat(rows.get(0).text()).isEqualTo("A?@B?C");
    }

    @Test
    void aWidthOutsideTheRangeIsRefused() {
        ReceiptLayout layout = new ReceiptLayout.Builder().left("x").build();
        assertThatThrownBy(() -> layout.render(23)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.render(65)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String row(List<ReceiptLayout.Row> rows, String start) {
        return rows.stream().map(ReceiptLayout.Row::text).filter(t -> t.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no row starts with " + start + ": " + rows));
    }
}
