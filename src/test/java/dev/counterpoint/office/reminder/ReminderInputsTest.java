package dev.counterpoint.office.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.protocol.ConsentChannel;
import dev.counterpoint.shared.Messages;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every value that comes from outside (a channel, quiet hours, the settings file) is checked, and a refusal says why. */
class ReminderInputsTest {
    @TempDir
    Path tmp;

    @Test
    void channelsAreFileWebhookOrSmsWithTheirTargets() {
        assertThat(ChannelSpec.parse("file:" + tmp.resolve("out.jsonl")).file()).isEqualTo(tmp.resolve("out.jsonl"));
        ChannelSpec hook = ChannelSpec.parse("webhook:https://hooks.example.com/cp?token=secret");
        assertThat(hook.kind()).isEqualTo(ChannelSpec.Kind.WEBHOOK);
        assertThat(hook.shown()).as("a query may hold a key: not shown").isEqualTo("webhook:https://hooks.example.com/cp?…");
        assertThat(ChannelSpec.parse("sms:https://sms.yunpian.com/v2/sms/single_send.json").kind()).isEqualTo(ChannelSpec.Kind.SMS);
        assertThat(ChannelSpec.parse("webhook:http://localhost:9000/r").url().getPort()).isEqualTo(9000);
        assertThat(ChannelSpec.parse("webhook:http://127.0.0.1:9000/r").kind()).isEqualTo(ChannelSpec.Kind.WEBHOOK);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|a channel is file:PATH, webhook:URL or sms:URL",
            "email:boss@example.com|unknown channel \"email\"",
            "stdout|unknown channel \"stdout\"",
            "file:|file: needs a path",
            "webhook:ftp://files.example.com/x|must start with https://",
            "webhook:javascript:alert(1)|must start with https://",
            "webhook:hooks.example.com/r|must start with https://",
            "sms:https:///nohost|names no host",
            "webhook:https://user:pass@hooks.example.com/r|a user name or password in the URL",
            "webhook:https://hooks.example.com/r#x|#fragment",
            "webhook:http://hooks.example.com/r|plain http:// to hooks.example.com",
            "webhook:http://127.attacker.example/r|plain http:// to 127.attacker.example",
            "webhook:https://bad host/r|is not a URL"})
    void aBadChannelIsRefusedSayingWhatWasExpected(String spec, String message) {
        assertThatThrownBy(() -> ChannelSpec.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void aChannelWithControlCharactersOrOfAbsurdLengthIsRefused() {
        assertThatThrownBy(() -> ChannelSpec.parse("file:/tmp/a\nb")).hasMessageContaining("control characters");
        assertThatThrownBy(() -> ChannelSpec.parse("webhook:https://h.example/" + "a".repeat(3000))).hasMessageContaining("too long");
    }

    @Test
    void consentIsSmsOrWechat() {
        assertThat(ChannelSpec.consent("SMS")).isEqualTo(ConsentChannel.MARKETING_SMS);
        assertThat(ChannelSpec.consent("wechat")).isEqualTo(ConsentChannel.MARKETING_WECHAT);
        assertThatThrownBy(() -> ChannelSpec.consent("privacy")).hasMessageContaining("sms or wechat");
    }

    @Test
    void quietHoursRunOverMidnightAndNoneSendsAtAnyHour() {
        QuietHours night = QuietHours.parse("21:00-09:00");
        assertThat(night.contains(LocalTime.of(21, 0))).isTrue();
        assertThat(night.contains(LocalTime.of(0, 0))).isTrue();
        assertThat(night.contains(LocalTime.of(8, 59, 59))).isTrue();
        assertThat(night.contains(LocalTime.of(9, 0))).isFalse();
        assertThat(night.contains(LocalTime.of(20, 59))).isFalse();
        QuietHours lunch = QuietHours.parse(" 12:00 - 13:30 ");
        assertThat(lunch.contains(LocalTime.of(12, 30))).isTrue();
        assertThat(lunch.contains(LocalTime.of(13, 30))).isFalse();
        assertThat(QuietHours.parse("none").contains(LocalTime.of(3, 0))).isFalse();
        assertThat(QuietHours.NONE).hasToString("none");
        assertThatThrownBy(() -> QuietHours.parse("9pm-9am")).hasMessageContaining("HH:mm-HH:mm");
        assertThatThrownBy(() -> QuietHours.parse("21:00")).hasMessageContaining("HH:mm-HH:mm");
        assertThatThrownBy(() -> QuietHours.parse("10:00-10:00")).hasMessageContaining("write none");
    }

    @Test
    void noSettingsFileMeansTheDefaults() {
        ReminderSettings s = ReminderSettings.load(tmp);
        assertThat(s.quietHours()).isEqualTo(QuietHours.DEFAULT);
        assertThat(s.birthdayDays()).isEqualTo(3);
        assertThat(s.pointsDays()).isEqualTo(14);
        assertThat(s.winBackDays()).as("the rule set's").isNull();
        assertThat(s.couponDays()).isEqualTo(7);
        assertThat(s.language()).isEqualTo(Messages.CHINESE);
        assertThat(s.schedule()).isEmpty();
    }

    @Test
    void theSettingsFileIsReadAsUtf8WithEveryKey() throws IOException {
        Files.writeString(tmp.resolve(ReminderSettings.FILE), """
                quiet.hours=22:00-08:30
                birthday.days=7
                points.days=30
                winback.days=45
                coupon.days=3
                language=en
                sms.signature=咖啡小站
                schedule.time=10:30
                schedule.channel=webhook:https://hooks.example.com/r
                schedule.consent=wechat
                schedule.secret-file=/etc/counterpoint/hook-secret
                """);

        ReminderSettings s = ReminderSettings.load(tmp);

        assertThat(s.quietHours()).isEqualTo(new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 30)));
        assertThat(s.birthdayDays()).isEqualTo(7);
        assertThat(s.pointsDays()).isEqualTo(30);
        assertThat(s.winBackDays()).isEqualTo(45);
        assertThat(s.couponDays()).isEqualTo(3);
        assertThat(s.language()).isEqualTo(Locale.ENGLISH);
        assertThat(s.smsSignature()).isEqualTo("咖啡小站");
        assertThat(s.schedule()).contains(new ReminderSettings.Schedule(LocalTime.of(10, 30),
                "webhook:https://hooks.example.com/r", "wechat", Path.of("/etc/counterpoint/hook-secret")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "birthday.dayz=3|unknown setting birthday.dayz",
            "birthday.days=-1|birthday.days must be a whole number of days from 0 to 60",
            "points.days=many|points.days must be a whole number",
            "winback.days=2|winback.days must be a whole number of days from 7 to 3650",
            "coupon.days=31|coupon.days must be",
            "language=fr|language: unsupported language: fr",
            "sms.signature=【店】|sms.signature must be 2 to 12 characters",
            "sms.signature=一|sms.signature must be 2 to 12 characters",
            "quiet.hours=all night|quiet hours must be HH:mm-HH:mm",
            "schedule.time=22:00|schedule.time 22:00 is within the quiet hours 21:00-09:00",
            "schedule.time=10am|schedule.time must be HH:mm",
            "schedule.time=10:00|schedule.time needs schedule.channel",
            "schedule.channel=file:/tmp/x|need schedule.time"})
    void aBadSettingIsRefusedNamingIt(String line, String message) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(line));
        assertThatThrownBy(() -> ReminderSettings.parse(p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void aScheduledChannelIsCheckedWhenTheSettingsAreRead() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader("schedule.time=10:00\nschedule.channel=webhook:http://hooks.example.com/r\n"));
        assertThatThrownBy(() -> ReminderSettings.parse(p)).hasMessageContaining("plain http://");
        Properties consent = new Properties();
        consent.load(new StringReader("schedule.time=10:00\nschedule.channel=file:/tmp/r.jsonl\nschedule.consent=email\n"));
        assertThatThrownBy(() -> ReminderSettings.parse(consent)).hasMessageContaining("sms or wechat");
    }

    @Test
    void smsAreCountedIn70ChineseOr160LatinCharacters() {
        assertThat(SmsLength.segments("中".repeat(70))).isEqualTo(1);
        assertThat(SmsLength.segments("中".repeat(71))).isEqualTo(2);
        assertThat(SmsLength.segments("中".repeat(134))).isEqualTo(2);
        assertThat(SmsLength.segments("中".repeat(135))).isEqualTo(3);
        assertThat(SmsLength.segments("a".repeat(160))).isEqualTo(1);
        assertThat(SmsLength.segments("a".repeat(161))).isEqualTo(2);
        assertThat(SmsLength.segments("Coupon ¥10 off".repeat(10))).as("¥ is in the GSM alphabet").isEqualTo(1);
        assertThat(SmsLength.segments("{".repeat(81))).as("extension characters count twice").isEqualTo(2);
        assertThat(SmsLength.segments("a".repeat(100) + "中")).isEqualTo(2);
    }
}
