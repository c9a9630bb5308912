package dev.counterpoint.office.reminder;

import dev.counterpoint.protocol.ConsentChannel;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did: the reminders due on {@code asOf} that had not been sent before, and what became of each (sent,
 * skipped for a reason, failed). due = sent + skipped + failed. A run in the quiet hours looks at nothing.
 */
public record Summary(LocalDate asOf, ZoneId zone, String channel, ConsentChannel consent, Quiet quiet,
                      Map<ReminderKind, Integer> due, int sent, Map<Skip, Integer> skipped, List<Failure> failures,
                      int longerThanOneSms) {
    /** Set when the run fell in the quiet hours (then nothing was sent or looked at). */
    public record Quiet(QuietHours hours, LocalTime now) {
    }

    /** A message that could not be sent; the next run tries it again while it is due. */
    public record Failure(String cardCode, ReminderKind kind, String reason) {
    }

    /** Why a due reminder was not sent. */
    public enum Skip {
        NO_CONSENT("no marketing consent for this channel"),
        NO_PHONE("head office has no phone number for the member (enrolled before numbers were boxed for head office)"),
        WAITING("waiting: one message per member per day, a more urgent one went first (sent on a later day while still due)"),
        ALREADY_TODAY("the member already had a message today"),
        IN_DOUBT("a run stopped while sending it, so it may have gone out: never sent again"),
        GAVE_UP("failed in " + ReminderRecords.MAX_SENDS + " runs: not tried again"),
        TAKEN("another run is sending it or the member's message of the day"),
        QUIET("the quiet hours began during the run: left for the next run"),
        STOPPED("the office stopped during the run: left for its next run");

        private final String reason;

        Skip(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    public int dueTotal() {
        return due.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int failed() {
        return failures.size();
    }

    public boolean wasQuiet() {
        return quiet != null;
    }

    /** The summary as the command prints it and the office logs it: never a phone number. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("reminders due on " + asOf + " (" + zone + "), channel " + channel + ", for members with "
                + ChannelSpec.medium(consent) + " marketing consent");
        if (quiet != null) {
            out.add("quiet hours (" + quiet.hours() + " " + zone + "; now " + quiet.now().withNano(0)
                    + "): nothing was sent; run again outside them");
            return out;
        }
        StringBuilder kinds = new StringBuilder();
        due.forEach((k, n) -> {
            if (n > 0) {
                kinds.append(kinds.length() == 0 ? "" : ", ").append(k.wire()).append(' ').append(n);
            }
        });
        out.add("due: " + dueTotal() + (kinds.length() == 0 ? "" : " (" + kinds + ")"));
        out.add("sent: " + sent + (longerThanOneSms > 0 ? " (" + longerThanOneSms + " longer than one SMS)" : ""));
        out.add("skipped: " + skippedTotal());
        skipped.forEach((s, n) -> out.add("  " + n + " " + s.reason()));
        out.add("failed: " + failures.size() + (failures.isEmpty() ? "" : " (tried again by the next run)"));
        failures.forEach(f -> out.add("  card " + f.cardCode() + ", " + f.kind().wire() + ": " + f.reason()));
        return out;
    }

    static Map<ReminderKind, Integer> noneDue() {
        Map<ReminderKind, Integer> m = new EnumMap<>(ReminderKind.class);
        for (ReminderKind k : ReminderKind.values()) {
            m.put(k, 0);
        }
        return m;
    }
}
