package dev.counterpoint.office.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.reminder.ReminderChannel.Delivery;
import dev.counterpoint.protocol.ConsentChannel;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is due, to whom, and what a run sends, on head office's tables as projection leaves them, with the clock at
 * 10:00 in the chain's zone unless a test moves it. Defaults: birthdays 3 days ahead, points 14, coupons 7 days after
 * issue, win-back after the built-in rule set's 30 days, quiet hours 21:00-09:00.
 */
abstract class RemindersContract {
    static final LocalDate D = LocalDate.of(2026, 3, 10);
    static final String PHONE = "13800135678";

    ReminderFixture fx;
    ReminderSettings settings = ReminderSettings.defaults();

    abstract OfficeDatabase newDatabase();

    @BeforeEach
    void open() {
        fx = new ReminderFixture(newDatabase(), ReminderFixture.tenOClock(D));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private Summary run(RecordingChannel channel) {
        return fx.reminders(settings).run(fx.today(), channel, false);
    }

    private void on(LocalDate day) {
        fx.clock.set(ReminderFixture.tenOClock(day));
    }

    private List<Due> due(ReminderKind kind) {
        return fx.db.jdbi().withHandle(h -> DueReminders.due(h, fx.today(), ReminderFixture.ZONE,
                        fx.reminders(settings).rules(), ConsentChannel.MARKETING_SMS)).stream()
                .filter(d -> d.kind() == kind).toList();
    }

    private static List<String> occasions(List<Due> due, ReminderFixture.Member m) {
        return due.stream().filter(d -> d.to().memberId().equals(m.id)).map(Due::occasion).toList();
    }

    // ---- what is due ----

    @Test
    void aBirthdayIsDueFromThreeDaysBeforeToTheDayAcrossTheYearsEndAndOncePerBirthday() {
        on(LocalDate.of(2026, 12, 29));
        var newYear = fx.member("林雨桐").phone(PHONE).birthday(LocalDate.of(1990, 1, 1)).sms().save();
        var fourDays = fx.member("王建国").phone("13900001111").birthday(LocalDate.of(1985, 1, 2)).sms().save();
        var yesterday = fx.member("张欣怡").phone("13900002222").birthday(LocalDate.of(1992, 12, 28)).sms().save();
        var today = fx.member("陈思远").phone("13900003333").birthday(LocalDate.of(1970, 12, 29)).sms().save();

        List<Due> due = due(ReminderKind.BIRTHDAY);
        assertThat(occasions(due, newYear)).containsExactly("2027");
        assertThat(occasions(due, today)).containsExactly("2026");
        assertThat(occasions(due, fourDays)).isEmpty();
        assertThat(occasions(due, yesterday)).isEmpty();

        RecordingChannel sms = RecordingChannel.sms();
        Summary first = run(sms);
        assertThat(sms.cards()).containsExactlyInAnyOrder(newYear.card + " birthday", today.card + " birthday");
        assertThat(first.sent()).isEqualTo(2);
        assertThat(sms.given.stream().filter(m -> m.cardCode().equals(newYear.card)).findFirst().orElseThrow().text())
                .isEqualTo("林雨桐，1月1日是您的生日，提前祝您生日快乐，期待您的光临！回T退订");

        on(LocalDate.of(2026, 12, 30));
        run(sms);
        assertThat(sms.cards()).as("this birthday's reminder went out already; 2 January is three days ahead now")
                .containsExactlyInAnyOrder(newYear.card + " birthday", today.card + " birthday", fourDays.card + " birthday");

        on(LocalDate.of(2027, 12, 29));
        run(sms);
        assertThat(sms.cards()).filteredOn(c -> c.startsWith(newYear.card)).hasSize(2);
        assertThat(sms.cards()).filteredOn(c -> c.startsWith(yesterday.card)).isEmpty();
        assertThat(fx.recorded(newYear)).containsExactly("birthday 2027 SENT 1", "birthday 2028 SENT 1");
    }

    @Test
    void aTwentyNinthOfFebruaryBirthdayIsOnTheTwentyEighthInACommonYear() {
        on(LocalDate.of(2027, 2, 26));
        var leap = fx.member("周宁").phone(PHONE).birthday(LocalDate.of(2000, 2, 29)).sms().save();

        List<Due> due = due(ReminderKind.BIRTHDAY);

        assertThat(occasions(due, leap)).containsExactly("2027");
        assertThat(((Due.Birthday) due.get(0).detail()).on()).isEqualTo(LocalDate.of(2027, 2, 28));
    }

    @Test
    void pointsAreDueFromTheirLotsExpiryFourteenDaysAheadWithWhatIsLeftOfTheLots() {
        var partlySpent = fx.member("林雨桐").phone(PHONE).sms().save();
        UUID lot = partlySpent.earned(500, D.minusYears(1), D.plusDays(10));
        partlySpent.earned(300, D.minusMonths(11), D.plusDays(12));
        partlySpent.spent(200, lot, D.minusMonths(2));
        var allSpent = fx.member("王建国").phone("13900001111").sms().save();
        allSpent.earned(400, D.minusYears(1), D.plusDays(5));
        allSpent.spent(400, null, D.minusMonths(1));
        var lapsedAndLater = fx.member("张欣怡").phone("13900002222").sms().save();
        lapsedAndLater.earned(100, D.minusYears(1), D.minusDays(1));
        lapsedAndLater.earned(50, D.minusYears(1), D.plusDays(20));
        var lastDay = fx.member("陈思远").phone("13900003333").sms().save();
        lastDay.earned(80, D.minusYears(1), D);

        List<Due> due = due(ReminderKind.POINTS_EXPIRING);

        assertThat(due).extracting(d -> d.to().cardCode(), Due::detail).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(partlySpent.card, new Due.PointsExpiring(300, D.plusDays(10))),
                org.assertj.core.groups.Tuple.tuple(lastDay.card, new Due.PointsExpiring(80, D)));
        RecordingChannel sms = RecordingChannel.sms();
        run(sms);
        assertThat(sms.given).extracting(ReminderMessage::text).contains(
                "林雨桐，您有300积分有效期至3月20日，过期作废，请及时到店使用。回T退订");
    }

    @Test
    void aWinBackIsDueOncePerAbsenceCountingPurchasesOfMergedCards() {
        var thirtyDays = fx.member("林雨桐").phone(PHONE).sms().save();
        thirtyDays.bought(D.minusDays(30));
        var twentyNine = fx.member("王建国").phone("13900001111").sms().save();
        twentyNine.bought(D.minusDays(29));
        var older = fx.member("张欣怡").phone("13900002222").sms().save();
        older.bought(D.minusDays(100));
        older.bought(D.minusDays(31));
        var survivor = fx.member("陈思远").phone("13900003333").sms().save();
        survivor.bought(D.minusDays(40));
        var alias = fx.member("陈思远").save().mergedInto(survivor);
        alias.bought(D.minusDays(5));
        fx.member("刘佳琪").phone("13900004444").sms().save(); // never bought: a welcome, not a win-back

        List<Due> due = due(ReminderKind.WIN_BACK);

        assertThat(due).extracting(d -> d.to().cardCode(), Due::occasion).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(thirtyDays.card, D.minusDays(30).toString()),
                org.assertj.core.groups.Tuple.tuple(older.card, D.minusDays(31).toString()));
        RecordingChannel sms = RecordingChannel.sms();
        run(sms);
        assertThat(sms.given).filteredOn(m -> m.cardCode().equals(thirtyDays.card)).extracting(ReminderMessage::text)
                .containsExactly("林雨桐，好久不见！您已有30天没来店里了，我们很想念您，期待再次为您服务。回T退订");

        on(D.plusDays(1));
        run(sms);
        assertThat(sms.cards()).as("one message per absence; 30 days for the second member now").containsExactlyInAnyOrder(
                thirtyDays.card + " win_back", older.card + " win_back", twentyNine.card + " win_back");

        thirtyDays.bought(D.plusDays(2));
        on(D.plusDays(32));
        run(sms);
        assertThat(fx.recorded(thirtyDays)).containsExactly("win_back " + D.minusDays(30) + " SENT 1",
                "win_back " + D.plusDays(2) + " SENT 1");
    }

    @Test
    void aCouponHeadOfficeIssuedIsDueForAWeekWhileItCanBeUsed() {
        var m = fx.member("林雨桐").phone(PHONE).sms().save();
        String owners = m.coupon("BEANS_10", D.minusDays(1), D.plusDays(29), "head-office");
        m.coupon("WELCOME", D.minusDays(1), D.plusDays(13), "trigger:WELCOME");
        String voided = m.coupon("BEANS_10", D.minusDays(1), D.plusDays(29), "head-office");
        fx.voidCoupon(voided);
        String used = m.coupon("BEANS_10", D.minusDays(2), D.plusDays(29), "head-office");
        fx.claim(used);
        m.coupon("BEANS_10", D.minusDays(8), D.plusDays(29), "head-office");
        String campaign = m.coupon("GOLD_PERK", D, D.plusDays(3), "campaign:spring");
        m.coupon("BEANS_10", D.minusDays(3), D.minusDays(1), "head-office");

        List<Due> due = due(ReminderKind.COUPON);

        assertThat(due).extracting(Due::occasion, Due::lastDay).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(owners, D.plusDays(6)),
                org.assertj.core.groups.Tuple.tuple(campaign, D.plusDays(3)));
        RecordingChannel sms = RecordingChannel.sms();
        run(sms);
        assertThat(sms.given).extracting(ReminderMessage::text).containsExactly(
                "林雨桐，您收到一张优惠券：金卡 9 折 (最多减¥50)，有效期至3月13日，结账时出示会员卡即可使用。回T退订");
        on(D.plusDays(1));
        run(sms);
        assertThat(sms.given.get(1).text()).contains("咖啡豆 满¥60减¥10").contains("4月8日");
    }

    // ---- who is sent what ----

    @Test
    void onlyMembersWhoConsentedToTheChannelsMediumAreSentAndErasedOrMergedCardsNever() {
        LocalDate birthday = D.plusDays(2).minusYears(30);
        var sms = fx.member("林雨桐").phone(PHONE).birthday(birthday).sms().save();
        var wechat = fx.member("王建国").phone("13900001111").birthday(birthday).wechat().save();
        var none = fx.member("张欣怡").phone("13900002222").birthday(birthday).save();
        var withdrawn = fx.member("陈思远").phone("13900003333").birthday(birthday).consent("MARKETING_SMS", false).save();
        var erased = fx.member("刘佳琪").phone("13900004444").birthday(birthday).sms().save().erased();
        var merged = fx.member("赵敏").phone("13900005555").birthday(birthday).sms().save().mergedInto(sms);

        RecordingChannel bySms = RecordingChannel.sms();
        Summary s = run(bySms);
        RecordingChannel byWechat = new RecordingChannel(ConsentChannel.MARKETING_WECHAT);
        Summary w = run(byWechat);

        assertThat(bySms.cards()).containsExactly(sms.card + " birthday");
        assertThat(bySms.given.get(0).to()).isEqualTo(PHONE);
        assertThat(bySms.given.get(0).medium()).isEqualTo("sms");
        assertThat(s.skipped()).containsExactly(Map.entry(Summary.Skip.NO_CONSENT, 3));
        assertThat(s.dueTotal()).as("erased and merged-away cards are not due at all").isEqualTo(4);
        assertThat(byWechat.cards()).containsExactly(wechat.card + " birthday");
        assertThat(byWechat.given.get(0).medium()).isEqualTo("wechat");
        assertThat(byWechat.given.get(0).text()).as("no SMS signature or opt-out line").doesNotContain("回T退订");
        assertThat(w.skipped()).as("the birthday reminder went to the first by SMS: it is not due any more")
                .containsExactly(Map.entry(Summary.Skip.NO_CONSENT, 2));
        assertThat(fx.recorded(none)).isEmpty();
        assertThat(fx.recorded(withdrawn)).isEmpty();
        assertThat(fx.recorded(erased)).isEmpty();
        assertThat(fx.recorded(merged)).isEmpty();
    }

    @Test
    void aMemberWithoutAPhoneBoxIsSkippedWithThatReason() {
        var noBox = fx.member("林雨桐").birthday(D.plusDays(1).minusYears(20)).sms().save();

        RecordingChannel sms = RecordingChannel.sms();
        Summary s = run(sms);

        assertThat(sms.given).isEmpty();
        assertThat(s.skipped()).containsExactly(Map.entry(Summary.Skip.NO_PHONE, 1));
        assertThat(fx.recorded(noBox)).isEmpty();
    }

    @Test
    void nothingIsSentOrRecordedInTheQuietHoursAndTheRunSaysSo() {
        fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(1).minusYears(20)).sms().save();
        RecordingChannel sms = RecordingChannel.sms();

        for (LocalTime t : List.of(LocalTime.of(21, 0), LocalTime.of(23, 30), LocalTime.of(2, 0), LocalTime.of(8, 59))) {
            fx.clock.set(D.atTime(t).atZone(ReminderFixture.ZONE).toInstant());
            Summary s = run(sms);
            assertThat(s.wasQuiet()).as(t.toString()).isTrue();
            assertThat(String.join("\n", s.lines())).contains("quiet hours (21:00-09:00 Asia/Shanghai").contains("nothing was sent");
        }
        assertThat(sms.given).isEmpty();
        assertThat(fx.count("reminder_message")).isZero();
        assertThat(fx.count("reminder_run")).isZero();

        fx.clock.set(D.atTime(9, 0).atZone(ReminderFixture.ZONE).toInstant());
        assertThat(run(sms).sent()).isEqualTo(1);
    }

    @Test
    void quietHoursOfNoneSendAtAnyHourAndOtherHoursAreKept() {
        fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(1).minusYears(20)).sms().save();
        fx.member("王建国").phone("13900001111").birthday(D.plusDays(1).minusYears(20)).sms().save();
        RecordingChannel sms = RecordingChannel.sms();

        fx.clock.set(D.atTime(3, 0).atZone(ReminderFixture.ZONE).toInstant());
        settings = ReminderSettings.defaults().withQuietHours(QuietHours.parse("12:00-13:30"));
        assertThat(run(sms).sent()).isEqualTo(2);
    }

    @Test
    void aMemberGetsOneMessageADayTheMostUrgentFirstAndTheOthersOnLaterDays() {
        var m = fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(3).minusYears(30)).sms().save();
        m.earned(120, D.minusYears(1), D.plusDays(2));
        m.coupon("BEANS_10", D, D.plusDays(29), "head-office");
        m.bought(D.minusDays(60));
        RecordingChannel sms = RecordingChannel.sms();

        Summary first = run(sms);
        assertThat(sms.cards()).containsExactly(m.card + " points_expiring");
        assertThat(first.dueTotal()).isEqualTo(4);
        assertThat(first.skipped()).containsExactly(Map.entry(Summary.Skip.WAITING, 3));

        Summary again = run(sms);
        assertThat(again.sent()).isZero();
        assertThat(again.skipped()).containsExactly(Map.entry(Summary.Skip.ALREADY_TODAY, 3));

        on(D.plusDays(1));
        run(sms);
        on(D.plusDays(2));
        run(sms);
        on(D.plusDays(3));
        run(sms);
        assertThat(sms.given).extracting(g -> g.kind().wire())
                .containsExactly("points_expiring", "birthday", "coupon", "win_back");
        assertThat(fx.count("reminder_day")).isEqualTo(4);
    }

    // ---- never twice ----

    @Test
    void aFailedSendIsRecordedMaskedAndTriedByTheNextRunsUpToThreeTimes() {
        var m = fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(3).minusYears(30)).sms().save();
        RecordingChannel sms = RecordingChannel.sms();
        sms.answer = msg -> new Delivery.Failed("the gateway refused " + msg.to() + " for now");

        Summary first = run(sms);
        assertThat(first.failures()).extracting(Summary.Failure::reason)
                .containsExactly("the gateway refused [number] for now");
        assertThat(String.join("\n", first.lines())).doesNotContain(PHONE).contains("card " + m.card + ", birthday");
        assertThat(fx.recorded(m)).containsExactly("birthday 2026 FAILED 1");
        assertThat(fx.count("reminder_day")).as("the day's message is given back").isZero();
        String detail = fx.db.jdbi().withHandle(h -> h.createQuery("SELECT detail FROM reminder_message").mapTo(String.class).one());
        assertThat(detail).isEqualTo("the gateway refused [number] for now");

        run(sms);
        assertThat(fx.recorded(m)).containsExactly("birthday 2026 FAILED 2");
        on(D.plusDays(1));
        run(sms);
        assertThat(fx.recorded(m)).containsExactly("birthday 2026 FAILED 3");
        on(D.plusDays(2));
        sms.answer = msg -> new Delivery.Sent(null);
        Summary after = run(sms);
        assertThat(after.skipped()).containsExactly(Map.entry(Summary.Skip.GAVE_UP, 1));
        assertThat(sms.given).hasSize(3);
    }

    @Test
    void aFailureThenASuccessSendsOnceAndIsRecordedAsSent() {
        var m = fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(3).minusYears(30)).sms().save();
        RecordingChannel sms = RecordingChannel.sms();
        sms.answer = msg -> new Delivery.Failed("HTTP 503");
        run(sms);
        sms.answer = msg -> new Delivery.Sent("gw-1");

        Summary second = run(sms);

        assertThat(second.sent()).isEqualTo(1);
        assertThat(fx.recorded(m)).containsExactly("birthday 2026 SENT 2");
        assertThat(sms.given).extracting(ReminderMessage::idempotencyKey).as("every try carries one key").hasSize(2)
                .containsOnly(sms.given.get(0).idempotencyKey());
        assertThat(run(sms).sent()).isZero();
    }

    /** The office stops (killed, power cut) while a message is with the channel: after the restart it is never sent again. */
    @Test
    void aRunThatStopsWhileSendingNeverSendsThatMessageAgainAfterARestart() {
        var m = fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(3).minusYears(30)).sms().save();
        var other = fx.member("王建国").phone("13900001111").birthday(D.plusDays(3).minusYears(30)).sms().save();
        RecordingChannel sms = RecordingChannel.sms();
        sms.answer = msg -> {
            throw new ProcessDied(); // the message went out; the process died before hearing so
        };

        assertThatThrownBy(() -> run(sms)).isInstanceOf(ProcessDied.class);
        assertThat(sms.given).hasSize(1);
        String first = sms.given.get(0).cardCode();

        sms.answer = msg -> new Delivery.Sent(null);
        Summary afterRestart = fx.reminders(settings).run(fx.today(), sms, false);
        assertThat(afterRestart.skipped()).containsExactly(Map.entry(Summary.Skip.IN_DOUBT, 1));
        on(D.plusDays(1));
        fx.reminders(settings).run(fx.today(), sms, false);

        assertThat(sms.given).extracting(ReminderMessage::cardCode).containsExactly(first,
                first.equals(m.card) ? other.card : m.card);
        assertThat(fx.recorded(first.equals(m.card) ? m : other)).containsExactly("birthday 2026 SENDING 1");
    }

    @Test
    void aRunThatStopsAfterRecordingButBeforeSendingSendsNothingForItAgain() {
        var m = fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(3).minusYears(30)).sms().save();
        ReminderChannel dies = new ReminderChannel() {
            @Override
            public String name() {
                return "sms";
            }

            @Override
            public String shown() {
                return "dies";
            }

            @Override
            public ConsentChannel consent() {
                return ConsentChannel.MARKETING_SMS;
            }

            @Override
            public Delivery send(ReminderMessage message) {
                throw new ProcessDied();
            }
        };
        assertThatThrownBy(() -> fx.reminders(settings).run(fx.today(), dies, false)).isInstanceOf(ProcessDied.class);
        assertThat(fx.recorded(m)).containsExactly("birthday 2026 SENDING 1");

        RecordingChannel sms = RecordingChannel.sms();
        Summary after = run(sms);

        assertThat(sms.given).isEmpty();
        assertThat(after.skipped()).containsExactly(Map.entry(Summary.Skip.IN_DOUBT, 1));
    }

    @Test
    void twoRunsCannotClaimTheSameReminderOrTwoMessagesForOneMemberOnOneDay() {
        var m = fx.member("林雨桐").phone(PHONE).save();
        ReminderRecords records = new ReminderRecords(fx.db.jdbi());
        var now = java.time.OffsetDateTime.now(fx.clock);

        records.claim(new Due.Key(m.id, ReminderKind.BIRTHDAY, "2026"), "sms", D, now);

        assertThatThrownBy(() -> records.claim(new Due.Key(m.id, ReminderKind.BIRTHDAY, "2026"), "sms", D.plusDays(1), now))
                .isInstanceOf(ReminderRecords.Taken.class);
        assertThatThrownBy(() -> records.claim(new Due.Key(m.id, ReminderKind.COUPON, "HQ1"), "sms", D, now))
                .isInstanceOf(ReminderRecords.Taken.class);
        assertThat(fx.recorded(m)).containsExactly("birthday 2026 SENDING 1");
        assertThat(fx.count("reminder_day")).isEqualTo(1);
    }

    // ---- the schedule ----

    @Test
    void theScheduleRunsOnceADayFromItsTimeAndNotAgainAfterARestart() {
        var m = fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(3).minusYears(30)).sms().save();
        m.bought(D.minusDays(40));
        RecordingChannel sms = RecordingChannel.sms();
        fx.clock.set(D.atTime(9, 30).atZone(ReminderFixture.ZONE).toInstant());
        ReminderSchedule schedule = new ReminderSchedule(fx.reminders(settings), sms, LocalTime.of(10, 0), fx.clock);

        assertThat(schedule.tick()).as("before its time").isEmpty();
        fx.clock.advance(Duration.ofMinutes(45));
        Optional<Summary> ran = schedule.tick();
        assertThat(ran).isPresent();
        assertThat(ran.get().sent()).isEqualTo(1);
        fx.clock.advance(Duration.ofMinutes(1));
        assertThat(schedule.tick()).as("once a day").isEmpty();

        ReminderSchedule restarted = new ReminderSchedule(fx.reminders(settings), sms, LocalTime.of(10, 0), fx.clock);
        fx.clock.advance(Duration.ofHours(2));
        assertThat(restarted.tick()).as("after a restart the same day").isEmpty();
        fx.clock.set(D.atTime(22, 0).atZone(ReminderFixture.ZONE).toInstant());
        assertThat(restarted.tick()).isEmpty();

        fx.clock.set(D.plusDays(1).atTime(15, 0).atZone(ReminderFixture.ZONE).toInstant());
        assertThat(restarted.tick()).as("the next day, late: an office that was down catches up").isPresent();
        assertThat(sms.cards()).containsExactly(m.card + " birthday", m.card + " win_back");
        assertThat(fx.count("reminder_run WHERE scheduled = TRUE AND finished_at IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void aRunStoppedWithTheOfficeRecordsTheMessageItWasSendingLeavesTheRestAndIsRunAgainAtTheNextStart() {
        var first = fx.member("林雨桐").phone(PHONE).birthday(D.plusDays(1).minusYears(30)).sms().save();
        var second = fx.member("王建国").phone("13900001111").birthday(D.plusDays(2).minusYears(40)).sms().save();
        RecordingChannel sms = RecordingChannel.sms();
        sms.answer = m -> {
            Thread.currentThread().interrupt(); // the office stops while this message goes out
            return new Delivery.Sent(null);
        };
        ReminderSchedule schedule = new ReminderSchedule(fx.reminders(settings), sms, LocalTime.of(10, 0), fx.clock);

        Summary stopped;
        try {
            stopped = schedule.tick().orElseThrow();
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is left set for the thread's owner").isTrue();
        }

        assertThat(sms.given).hasSize(1);
        assertThat(stopped.sent()).isEqualTo(1);
        assertThat(stopped.skipped()).containsExactly(Map.entry(Summary.Skip.STOPPED, 1));
        assertThat(sms.cards()).as("members in card order").containsExactly(first.card + " birthday");
        assertThat(fx.recorded(first)).containsExactly("birthday 2026 SENT 1");
        assertThat(fx.recorded(second)).isEmpty();
        assertThat(fx.count("reminder_run WHERE finished_at IS NOT NULL")).as("not finished").isZero();

        sms.answer = m -> new Delivery.Sent(null);
        fx.clock.advance(Duration.ofMinutes(5));
        ReminderSchedule restarted = new ReminderSchedule(fx.reminders(settings), sms, LocalTime.of(10, 0), fx.clock);
        Summary again = restarted.tick().orElseThrow();
        assertThat(again.sent()).isEqualTo(1);
        assertThat(sms.cards()).containsExactly(first.card + " birthday", second.card + " birthday");
        assertThat(fx.count("reminder_run WHERE scheduled = TRUE AND finished_at IS NOT NULL")).isEqualTo(1);
    }

    /** Stands for the process ending mid-send: not an exception a run catches. */
    static final class ProcessDied extends Error {
        ProcessDied() {
            super("killed");
        }
    }
}
