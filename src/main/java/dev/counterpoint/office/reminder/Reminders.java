package dev.counterpoint.office.reminder;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.office.ChainRules;
import dev.counterpoint.office.PhoneBoxes;
import dev.counterpoint.office.report.BusinessZone;
import dev.counterpoint.office.reminder.ReminderChannel.Delivery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Head office's reminders to members (docs/reminders.md, decision 0068): works out what is due on a day from the
 * chain's tables and sends it on one channel to the members who gave that channel's marketing consent, at most one
 * message per member per business day (the most urgent; the others wait), never in the quiet hours, and never twice:
 * each message is recorded, and the record committed, before it is sent.
 */
public final class Reminders {
    private static final Logger LOG = LoggerFactory.getLogger(Reminders.class);
    /** How far back {@code --date} may reach: a missed day is caught up, not a month of them. */
    static final int MAX_DAYS_BACK = 31;
    private static final Pattern MOBILE = Pattern.compile("(?<!\\d)(?:\\+?86[ -]?)?1\\d{2}[ -]?\\d{4}[ -]?\\d{4}(?!\\d)");
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{7,}");

    private final Jdbi jdbi;
    private final PhoneBoxes phoneBoxes;
    private final Clock clock;
    private final ReminderSettings settings;
    private final RuleSetRepository ruleSets;
    private final ReminderRecords records;
    private final ReminderTexts texts;

    public Reminders(Jdbi jdbi, PhoneBoxes phoneBoxes, Clock clock, ObjectMapper json, ReminderSettings settings) {
        this.jdbi = jdbi;
        this.phoneBoxes = phoneBoxes;
        this.clock = clock;
        this.settings = settings;
        this.ruleSets = new RuleSetRepository(json);
        this.records = new ReminderRecords(jdbi);
        this.texts = new ReminderTexts(settings.language(), settings.smsSignature());
    }

    public ReminderSettings settings() {
        return settings;
    }

    /** The chain's business zone (decision 0060): its days are the reminders' days, its clock the quiet hours'. */
    public ZoneId zone() {
        return jdbi.withHandle(BusinessZone::read);
    }

    public ZonedDateTime now() {
        return clock.instant().atZone(zone());
    }

    /**
     * A day typed for {@code --date}: YYYY-MM-DD, not after today in the business zone (reminders about the future
     * would go out early) and at most {@value #MAX_DAYS_BACK} days back.
     */
    public LocalDate day(String text) {
        LocalDate d;
        try {
            d = LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--date must be YYYY-MM-DD, not \"" + text + "\"");
        }
        LocalDate today = now().toLocalDate();
        if (d.isAfter(today)) {
            throw new IllegalArgumentException("--date " + d + " is after today (" + today + " in " + zone()
                    + "): reminders are not sent ahead of their day");
        }
        if (d.isBefore(today.minusDays(MAX_DAYS_BACK))) {
            throw new IllegalArgumentException("--date " + d + " is more than " + MAX_DAYS_BACK + " days back");
        }
        return d;
    }

    /** The days ahead and after, from the settings and, for win-back unless set, the chain's rule set. */
    public ReminderRules rules() {
        int winBack = settings.winBackDays() != null ? settings.winBackDays() : jdbi.withHandle(this::chainRules).winBackAfterDays();
        return new ReminderRules(settings.birthdayDays(), settings.pointsDays(), winBack, settings.couponDays());
    }

    private RuleSet chainRules(Handle h) {
        return ChainRules.current(h, ruleSets);
    }

    /**
     * Works out what is due on {@code asOf} and sends it on {@code channel}. In the quiet hours nothing is looked at or
     * sent, and the summary says so. {@code scheduled}: the office's daily run (recorded as such).
     */
    public Summary run(LocalDate asOf, ReminderChannel channel, boolean scheduled) {
        ZoneId zone = zone();
        ZonedDateTime now = clock.instant().atZone(zone);
        if (settings.quietHours().contains(now.toLocalTime())) {
            LOG.info("reminders not sent: {} is within the quiet hours {} ({})", now.toLocalTime().withNano(0),
                    settings.quietHours(), zone);
            return new Summary(asOf, zone, channel.shown(), channel.consent(), new Summary.Quiet(settings.quietHours(),
                    now.toLocalTime()), Summary.noneDue(), 0, Map.of(), List.of(), 0);
        }
        LocalDate today = now.toLocalDate();
        if (asOf.isAfter(today)) {
            throw new IllegalArgumentException("reminders are not sent ahead of their day: " + asOf + " is after " + today);
        }
        ReminderRules rules = rules();
        String medium = ChannelSpec.medium(channel.consent());
        long run = records.runStarted(today, asOf, channel.name(), scheduled, utc(now.toOffsetDateTime()));

        List<Due> due = new ArrayList<>(jdbi.withHandle(h -> DueReminders.due(h, asOf, zone, rules, channel.consent())));
        due.sort(Comparator.comparing((Due d) -> d.to().cardCode()).thenComparing(d -> d.to().memberId()).thenComparing(Due.URGENCY));
        Map<UUID, List<Due>> byMember = new LinkedHashMap<>();
        due.forEach(d -> byMember.computeIfAbsent(d.to().memberId(), k -> new ArrayList<>()).add(d));
        List<UUID> members = new ArrayList<>(byMember.keySet());
        Map<Due.Key, ReminderRecords.Recorded> recorded = jdbi.withHandle(h -> records.recorded(h, members));
        Set<UUID> messagedToday = jdbi.withHandle(h -> records.messagedOn(h, today));

        Map<ReminderKind, Integer> dueByKind = Summary.noneDue();
        Map<Summary.Skip, Integer> skipped = new EnumMap<>(Summary.Skip.class);
        List<Summary.Failure> failures = new ArrayList<>();
        int sent = 0;
        int longer = 0;
        for (List<Due> reminders : byMember.values()) {
            List<Due> open = new ArrayList<>();
            for (Due d : reminders) {
                ReminderRecords.Recorded r = recorded.get(d.key());
                if (r != null && r.state() == ReminderRecords.State.SENT) {
                    continue; // done: not due any more
                }
                dueByKind.merge(d.kind(), 1, Integer::sum);
                if (r == null || r.state() == ReminderRecords.State.FAILED && r.sends() < ReminderRecords.MAX_SENDS) {
                    open.add(d);
                } else {
                    skipped.merge(r.state() == ReminderRecords.State.SENDING ? Summary.Skip.IN_DOUBT : Summary.Skip.GAVE_UP, 1,
                            Integer::sum);
                }
            }
            if (open.isEmpty()) {
                continue;
            }
            Due.Recipient to = open.get(0).to();
            // A long run stops sending when the quiet hours begin, or when the office stops (its thread interrupted);
            // the rest wait for the next run.
            boolean quietNow = settings.quietHours().contains(clock.instant().atZone(zone).toLocalTime());
            Optional<Summary.Skip> notNow = Thread.currentThread().isInterrupted() ? Optional.of(Summary.Skip.STOPPED)
                    : quietNow ? Optional.of(Summary.Skip.QUIET)
                    : !to.consented() ? Optional.of(Summary.Skip.NO_CONSENT)
                    : messagedToday.contains(to.memberId()) ? Optional.of(Summary.Skip.ALREADY_TODAY) : Optional.empty();
            Optional<String> phone = Optional.empty();
            if (notNow.isEmpty()) {
                phone = jdbi.withHandle(h -> phoneBoxes.open(h, to.phoneBox(), to.phoneHmac(), to.phoneMasked()));
                if (phone.isEmpty()) {
                    if (to.phoneBox() != null) {
                        LOG.warn("card {}: head office's phone box for it does not hold its number; no reminder can reach it",
                                to.cardCode());
                    }
                    notNow = Optional.of(Summary.Skip.NO_PHONE);
                }
            }
            if (notNow.isPresent()) {
                skipped.merge(notNow.get(), open.size(), Integer::sum);
                continue;
            }
            Due pick = open.get(0); // the most urgent: each member's reminders are sorted by urgency
            if (open.size() > 1) {
                skipped.merge(Summary.Skip.WAITING, open.size() - 1, Integer::sum);
            }
            ReminderMessage message = new ReminderMessage(idempotencyKey(pick.key()), to.cardCode(), pick.kind(), medium,
                    phone.get(), texts.text(pick, medium));
            try {
                records.claim(pick.key(), channel.name(), today, utc(clock));
            } catch (ReminderRecords.Taken e) {
                skipped.merge(Summary.Skip.TAKEN, 1, Integer::sum);
                continue;
            }
            Delivery delivery;
            try {
                delivery = channel.send(message);
            } catch (RuntimeException e) {
                delivery = new Delivery.Failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            // What became of the message is written even when the office is stopping: the database must not see the
            // interrupt (an interrupted write can close H2's file); it is set again after.
            boolean stopping = Thread.interrupted();
            try {
                record(pick, to, message, delivery, today, channel, failures);
            } finally {
                if (stopping) {
                    Thread.currentThread().interrupt();
                }
            }
            if (delivery instanceof Delivery.Sent) {
                sent++;
                if ("sms".equals(medium) && SmsLength.segments(message.text()) > 1) {
                    longer++;
                }
            }
        }
        Summary summary = new Summary(asOf, zone, channel.shown(), channel.consent(), null, dueByKind, sent, skipped,
                List.copyOf(failures), longer);
        if (Thread.currentThread().isInterrupted()) {
            // Not recorded as finished: the office's next start runs the day again for the reminders left.
            LOG.info("reminders stopped with the office: {}", String.join("; ", summary.lines()));
            return summary;
        }
        records.runFinished(run, summary.dueTotal(), sent, summary.skippedTotal(), failures.size(), utc(clock));
        LOG.info("{}", String.join("; ", summary.lines()));
        return summary;
    }

    /** Records what the channel answered for {@code pick}; a failure is also added to {@code failures} and logged. */
    private void record(Due pick, Due.Recipient to, ReminderMessage message, Delivery delivery, LocalDate today,
                        ReminderChannel channel, List<Summary.Failure> failures) {
        if (delivery instanceof Delivery.Sent s) {
            records.sent(pick.key(), s.reference(), utc(clock));
            return;
        }
        String reason = scrub(((Delivery.Failed) delivery).reason());
        records.failed(pick.key(), today, reason, utc(clock));
        failures.add(new Summary.Failure(to.cardCode(), pick.kind(), reason));
        LOG.warn("reminder {} for card {} to {} on {} failed: {}", pick.kind().wire(), to.cardCode(), message.maskedTo(),
                channel.shown(), reason);
    }

    /** Whether the office's daily run has run to the end on {@code day}. */
    boolean scheduledRunFinished(LocalDate day) {
        return records.scheduledRunFinished(day);
    }

    /**
     * The key every try of one reminder carries (Idempotency-Key, the gateway's uid): 32 hex characters of the SHA-256
     * of member, kind and occasion, which says nothing about the member to whoever reads it.
     */
    static String idempotencyKey(Due.Key key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((key.memberId() + "|" + key.kind().wire() + "|"
                    + key.occasion()).getBytes(StandardCharsets.UTF_8));
            return "cp-" + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A text that is kept or shown, with anything that looks like a phone number (or any long number) masked. */
    static String scrub(String text) {
        if (text == null) {
            return "";
        }
        return LONG_NUMBER.matcher(MOBILE.matcher(text).replaceAll("[number]")).replaceAll("[number]");
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static OffsetDateTime utc(Clock clock) {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
