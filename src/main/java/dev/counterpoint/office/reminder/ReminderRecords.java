package dev.counterpoint.office.reminder;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * What was sent (tables {@code reminder_message}, {@code reminder_day}, {@code reminder_run}; office migration V14).
 * A message is claimed, and the claim committed, before it goes out; its member's message of the day is taken in the
 * same transaction. The primary keys make both claims hold between concurrent runs and head-office nodes.
 */
final class ReminderRecords {
    /** A reminder is sent in at most this many runs: after that many failures it is left failed. */
    static final int MAX_SENDS = 3;
    private static final int CHUNK = 500;

    enum State { SENDING, SENT, FAILED }

    /** A reminder as recorded: its state and how many runs tried it. */
    record Recorded(State state, int sends) {
    }

    /** Why a claim was not made: another run holds the reminder or the member's message of the day. */
    static final class Taken extends RuntimeException {
        Taken() {
            super(null, null, false, false);
        }
    }

    private final Jdbi jdbi;

    ReminderRecords(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The recorded reminders of these members. */
    Map<Due.Key, Recorded> recorded(Handle h, List<UUID> members) {
        Map<Due.Key, Recorded> out = new HashMap<>();
        for (int i = 0; i < members.size(); i += CHUNK) {
            h.createQuery("SELECT member_id, kind, occasion, state, sends FROM reminder_message WHERE member_id IN (<ids>)")
                    .bindList("ids", members.subList(i, Math.min(members.size(), i + CHUNK)))
                    .map((rs, ctx) -> Map.entry(new Due.Key(rs.getObject("member_id", UUID.class),
                                    ReminderKind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)), rs.getString("occasion")),
                            new Recorded(State.valueOf(rs.getString("state")), rs.getInt("sends"))))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** The members who have had (or may have had) their message on {@code day}. */
    Set<UUID> messagedOn(Handle h, LocalDate day) {
        return new HashSet<>(h.createQuery("SELECT member_id FROM reminder_day WHERE on_day = :d").bind("d", day)
                .mapTo(UUID.class).list());
    }

    /**
     * Claims {@code key} for sending now, and its member's message of {@code day}, in one committed transaction.
     * Throws {@link Taken} when another run has either.
     */
    void claim(Due.Key key, String channel, LocalDate day, OffsetDateTime now) {
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("INSERT INTO reminder_day(member_id, on_day, kind, occasion) VALUES (:m, :d, :k, :o)")
                        .bind("m", key.memberId()).bind("d", day).bind("k", key.kind().wire()).bind("o", key.occasion()).execute();
                List<Recorded> held = h.createQuery("""
                        SELECT state, sends FROM reminder_message WHERE member_id = :m AND kind = :k AND occasion = :o FOR UPDATE""")
                        .bind("m", key.memberId()).bind("k", key.kind().wire()).bind("o", key.occasion())
                        .map((rs, ctx) -> new Recorded(State.valueOf(rs.getString("state")), rs.getInt("sends"))).list();
                if (held.isEmpty()) {
                    h.createUpdate("""
                            INSERT INTO reminder_message(member_id, kind, occasion, channel, state, sends, sent_on, updated_at)
                            VALUES (:m, :k, :o, :c, 'SENDING', 1, :d, :now)""")
                            .bind("m", key.memberId()).bind("k", key.kind().wire()).bind("o", key.occasion()).bind("c", channel)
                            .bind("d", day).bind("now", now).execute();
                } else if (held.get(0).state() == State.FAILED && held.get(0).sends() < MAX_SENDS) {
                    h.createUpdate("""
                            UPDATE reminder_message SET state = 'SENDING', sends = sends + 1, channel = :c, sent_on = :d,
                                   updated_at = :now, detail = NULL
                            WHERE member_id = :m AND kind = :k AND occasion = :o AND state = 'FAILED'""")
                            .bind("m", key.memberId()).bind("k", key.kind().wire()).bind("o", key.occasion()).bind("c", channel)
                            .bind("d", day).bind("now", now).execute();
                } else {
                    throw new Taken();
                }
            });
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                throw new Taken(); // a unique key: another run recorded the reminder or the day's message first
            }
            throw e;
        }
    }

    void sent(Due.Key key, String reference, OffsetDateTime now) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE reminder_message SET state = 'SENT', reference = :r, updated_at = :now
                WHERE member_id = :m AND kind = :k AND occasion = :o""")
                .bind("r", reference == null ? null : Reminders.scrub(cut(reference, 100))).bind("now", now)
                .bind("m", key.memberId()).bind("k", key.kind().wire()).bind("o", key.occasion()).execute());
    }

    /** A send that failed: recorded so, and the member's message of the day given back. */
    void failed(Due.Key key, LocalDate day, String reason, OffsetDateTime now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    UPDATE reminder_message SET state = 'FAILED', detail = :d, updated_at = :now
                    WHERE member_id = :m AND kind = :k AND occasion = :o""")
                    .bind("d", cut(Reminders.scrub(reason), 300)).bind("now", now)
                    .bind("m", key.memberId()).bind("k", key.kind().wire()).bind("o", key.occasion()).execute();
            h.createUpdate("DELETE FROM reminder_day WHERE member_id = :m AND on_day = :d AND kind = :k AND occasion = :o")
                    .bind("m", key.memberId()).bind("d", day).bind("k", key.kind().wire()).bind("o", key.occasion()).execute();
        });
    }

    long runStarted(LocalDate day, LocalDate asOf, String channel, boolean scheduled, OffsetDateTime now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                INSERT INTO reminder_run(on_day, as_of, channel, scheduled, started_at) VALUES (:d, :a, :c, :s, :now)""")
                .bind("d", day).bind("a", asOf).bind("c", channel).bind("s", scheduled).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    void runFinished(long id, int due, int sent, int skipped, int failed, OffsetDateTime now) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE reminder_run SET finished_at = :now, due = :due, sent = :sent, skipped = :skipped, failed = :failed
                WHERE id = :id""")
                .bind("now", now).bind("due", due).bind("sent", sent).bind("skipped", skipped).bind("failed", failed)
                .bind("id", id).execute());
    }

    /** Whether the office's schedule ran to the end on {@code day}. */
    boolean scheduledRunFinished(LocalDate day) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT COUNT(*) FROM reminder_run WHERE on_day = :d AND scheduled = TRUE AND finished_at IS NOT NULL""")
                .bind("d", day).mapTo(Integer.class).one() > 0);
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }

    static List<UUID> ids(Iterable<UUID> members) {
        List<UUID> out = new ArrayList<>();
        members.forEach(out::add);
        return out;
    }
}
