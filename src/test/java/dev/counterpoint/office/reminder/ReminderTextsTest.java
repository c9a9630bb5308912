package dev.counterpoint.office.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.counterpoint.shared.Messages;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each kind's text in both languages, with the member's details, and within one SMS where it can be. */
class ReminderTextsTest {
    private static final Due.Recipient LIN = new Due.Recipient(UUID.randomUUID(), "2900000000018", "林雨桐", null, null, null, true);

    private static Due due(Due.Recipient to, Due.Detail detail, ReminderKind kind) {
        return new Due(to, kind, "x", null, detail);
    }

    private static List<Due> everyKind(Due.Recipient to) {
        return List.of(
                due(to, new Due.Birthday(LocalDate.of(2027, 1, 1)), ReminderKind.BIRTHDAY),
                due(to, new Due.PointsExpiring(12_345, LocalDate.of(2026, 12, 31)), ReminderKind.POINTS_EXPIRING),
                due(to, new Due.Absent(120, LocalDate.of(2025, 11, 1)), ReminderKind.WIN_BACK),
                due(to, new Due.Coupon("HQ0000000001", "金卡 9 折 (最多减¥50)", "Gold 10% off (up to ¥50)",
                        LocalDate.of(2026, 4, 9)), ReminderKind.COUPON));
    }

    @Test
    void everyKindHasItsTextInBothLanguages() {
        for (Locale l : List.of(Messages.CHINESE, Locale.ENGLISH)) {
            ResourceBundle b = Messages.bundle(l);
            for (ReminderKind k : ReminderKind.values()) {
                assertThat(b.containsKey("reminder.text." + k.wire())).as(l + " " + k).isTrue();
            }
        }
    }

    @Test
    void chineseTextsSayTheDetailsAndFitOneSmsWithASignature() {
        ReminderTexts texts = new ReminderTexts(Messages.CHINESE, "咖啡小站");
        List<String> sms = everyKind(LIN).stream().map(d -> texts.text(d, "sms")).toList();

        assertThat(sms).containsExactly(
                "【咖啡小站】林雨桐，1月1日是您的生日，提前祝您生日快乐，期待您的光临！回T退订",
                "【咖啡小站】林雨桐，您有12,345积分有效期至12月31日，过期作废，请及时到店使用。回T退订",
                "【咖啡小站】林雨桐，好久不见！您已有120天没来店里了，我们很想念您，期待再次为您服务。回T退订",
                "【咖啡小站】林雨桐，您收到一张优惠券：金卡 9 折 (最多减¥50)，有效期至4月9日，结账时出示会员卡即可使用。回T退订");
        assertThat(sms).allSatisfy(t -> assertThat(SmsLength.segments(t)).as(t + " (" + t.length() + ")").isEqualTo(1));
        assertThat(texts.text(everyKind(LIN).get(0), "wechat")).isEqualTo("林雨桐，1月1日是您的生日，提前祝您生日快乐，期待您的光临！");
    }

    @Test
    void englishTextsSayTheDetails() {
        ReminderTexts texts = new ReminderTexts(Locale.ENGLISH, null);
        Due.Recipient ann = new Due.Recipient(UUID.randomUUID(), "2900000000025", "Ann Lee", null, null, null, true);
        List<String> sms = everyKind(ann).stream().map(d -> texts.text(d, "sms")).toList();

        assertThat(sms.get(0)).isEqualTo("Ann Lee, your birthday is on 1 January. Happy birthday in advance, and we hope to see "
                + "you soon! Reply T to opt out.");
        assertThat(sms.get(1)).contains("12,345 of your points can be spent until 31 December");
        assertThat(sms.get(2)).contains("120 days since your last visit");
        assertThat(sms.get(3)).contains("Gold 10% off (up to ¥50), valid until 9 April");
        assertThat(sms).allSatisfy(t -> assertThat(SmsLength.segments(t)).as(t).isEqualTo(1));
    }

    @Test
    void aLongNameIsCutSoTheSmsStaysOneWhereThatIsEnough() {
        ReminderTexts texts = new ReminderTexts(Messages.CHINESE, "咖啡小站");
        Due.Recipient longName = new Due.Recipient(UUID.randomUUID(), "2900000000032", "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜", null, null, null, true);
        Due coupon = everyKind(longName).get(3);

        String sms = texts.text(coupon, "sms");

        assertThat(sms).startsWith("【咖啡小站】欧阳娜娜，您收到一张优惠券");
        assertThat(SmsLength.segments(sms)).isEqualTo(1);
        assertThat(texts.text(coupon, "wechat")).as("no SMS to fit").startsWith("欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜，");
    }

    @Test
    void aMessageShowsItsNumberMaskedWhereverItIsPrinted() {
        ReminderMessage m = new ReminderMessage("cp-1", "2900000000018", ReminderKind.BIRTHDAY, "sms", "13800135678", "hi");

        assertThat(m.toString()).contains("138****5678").doesNotContain("13800135678");
        assertThat(Reminders.scrub("refused +86 138-0013-5678 and 13900001111, order 1234567")).isEqualTo(
                "refused [number] and [number], order [number]");
    }
}
