package dev.counterpoint.receipt;

import dev.counterpoint.protocol.RefundKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.protocol.TierBasis;
import dev.counterpoint.report.ZReport;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/** Receipt documents to lay out, with the longest texts a receipt meets. */
final class ReceiptSamples {
    private ReceiptSamples() {}

    static final ReceiptDoc.Header HEADER = new ReceiptDoc.Header("静安寺咖啡 Jing'an", "S001", "T1",
            LocalDateTime.of(2026, 12, 5, 14, 3), "wu");

    static ReceiptDoc.Sale sale() {
        return new ReceiptDoc.Sale(HEADER, "S001-T1-000001",
                List.of(new ReceiptDoc.Item("LATTE", null, null, 2, 4_000),
                        new ReceiptDoc.Item("BEAN-ETHIOPIA-YIRGACHEFFE-250G", "咖啡豆", null, 1, 6_000),
                        new ReceiptDoc.Item("OAT-LATTE", null, "燕麦拿铁 Oat latte", 1, 12_345_678)),
                12_355_678, "WB-7K2M9Q", 1_500, 200, 200, 3_000, 12_350_978, 83, Tier.SILVER, Tier.GOLD,
                new ReceiptDoc.MemberLines("2900000000018", Tier.GOLD, 883L, 2_000L, Tier.DIAMOND, TierBasis.SPEND,
                        120_000, 300, LocalDate.of(2026, 12, 31),
                        List.of(new ReceiptDoc.WalletCoupon("生日礼券 Birthday treat", "BD-4F8H2J", LocalDate.of(2026, 12, 20)))));
    }

    static ReceiptDoc.Refund refund() {
        return new ReceiptDoc.Refund(HEADER, "S001-T1-R000001", "S001-T1-000001", RefundKind.REFUND, List.of(2),
                4_000, 600, 0, 0, 3_400, 0, 40, "WB-7K2M9Q", false, "2900000000018", 843L, 2_000L, null, List.of());
    }

    /** A void that took its checkout's tier raise back and voided the perks it issued. */
    static ReceiptDoc.Refund voidTakingARaiseBack() {
        return new ReceiptDoc.Refund(HEADER, "S001-T1-000002", "S001-T1-000001", RefundKind.VOID, List.of(1),
                12_000_000, 0, 0, 0, 12_000_000, 0, 18_000, null, false, "2900000000018", 883L, 2_000L, Tier.DIAMOND,
                List.of("TP-8M3K2Q7X", "TP-4H9J6W2R"));
    }

    /** A close whose report also carries what came after the close of the two days before. */
    static ReceiptDoc.Day dayWithLateSales() {
        ReceiptDoc.Day d = day();
        ZReport z = d.report();
        ZReport late = new ZReport(z.businessDate(), z.storeId(), z.terminalId(), z.sales(), z.salesFen(), z.membersServed(),
                z.newMembers(), z.pointsIssued(), z.pointsRedeemed(), z.pointsExpired(), z.couponsRedeemed(),
                z.couponDiscountFen(), z.storedValueInFen(), z.storedValueOutFen(), z.checkouts(), z.checkoutDiscountFen(),
                z.checkoutPointsFen(), z.checkoutStoredValueFen(), z.checkoutPayableFen(), z.voids(), z.voidFen(), z.refunds(),
                z.refundFen(), z.refundPayableFen(), z.pointsReturned(), z.pointsClawedBack(), z.storedValueReturnedFen(),
                List.of(new ZReport.AfterClose(LocalDate.of(2026, 12, 3), 0, 0, 1, 1_500, 0, 0),
                        new ZReport.AfterClose(LocalDate.of(2026, 12, 4), 2, 8_600, 0, 0, 1, 2_000)));
        return new ReceiptDoc.Day(d.header(), late, d.throughSeq(), d.digest(), d.confirmed(), d.reprint());
    }

    static ReceiptDoc.Day day() {
        ZReport z = new ZReport(LocalDate.of(2026, 12, 5), "S001", "T1", 12, 123_456, 9, 1, 1_234, 200, 0, 3, 4_500,
                10_000, 3_000, 11, 4_500, 200, 3_000, 115_756, 1, 2_000, 1, 4_000, 3_400, 0, 40, 0);
        return new ReceiptDoc.Day(HEADER, z, 1_234, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                false, false);
    }
}
