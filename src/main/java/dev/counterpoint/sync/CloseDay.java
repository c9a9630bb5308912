package dev.counterpoint.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.audit.AuditAction;
import dev.counterpoint.audit.AuditLog;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.report.ZReportService;
import dev.counterpoint.store.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Close of day: the Z-report, a final push, a pull of head office's decisions, and a receipt — events
 * confirmed through sequence N and a digest of them that head office computes too. Offline, the report is
 * still made and kept, marked as not yet confirmed.
 */
public final class CloseDay {
    private static final Logger LOG = LoggerFactory.getLogger(CloseDay.class);

    private final Jdbi jdbi;
    private final ZReportService reports;
    private final Optional<SyncEngine> engine;
    private final ObjectMapper json;
    private final Clock clock;
    private final Pause pause;
    private final Duration busyBudget;
    private final AuditLog audit;
    private final java.nio.file.Path dataDir;

    /** Waits between attempts; tests replace the real sleep. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    /** @param dataDir named when the terminal is not registered, so the manager knows which store to register */
    public CloseDay(Jdbi jdbi, ZReportService reports, Optional<SyncEngine> engine, ObjectMapper json, Clock clock,
                    AuditLog audit, java.nio.file.Path dataDir) {
        this(jdbi, reports, engine, json, clock, d -> Thread.sleep(d.toMillis()), BUSY_BUDGET, audit, dataDir);
    }

    CloseDay(Jdbi jdbi, ZReportService reports, Optional<SyncEngine> engine, ObjectMapper json, Clock clock, Pause pause,
             Duration busyBudget, AuditLog audit, java.nio.file.Path dataDir) {
        this.dataDir = dataDir;
        this.audit = audit;
        this.jdbi = jdbi;
        this.reports = reports;
        this.engine = engine;
        this.json = json;
        this.clock = clock;
        this.pause = pause;
        this.busyBudget = busyBudget;
    }

    /**
     * At closing time every store syncs at once, and head office turns some away with 429 and a Retry-After. Close
     * of day waits that out, up to this long in all, rather than leave the day unconfirmed for the owner to retry.
     */
    static final Duration BUSY_BUDGET = Duration.ofMinutes(3);

    /**
     * @param officeDigest head office's digest of the same events, or null when it could not be asked
     * @param problem      why head office did not confirm (null when it did)
     * @param reprinted    the day was closed before: this is that close's report, not a new one
     * @param closedAt     when the day was closed (its report counts up to then; what comes after goes on the next)
     */
    public record Result(ZReport report, long throughSeq, String digest, String officeDigest, boolean confirmed,
                         SyncException problem, boolean reprinted, OffsetDateTime closedAt) {
    }

    /**
     * Closes the day once, approved by {@code managerId} (whose PIN was checked): a second close of the same day changes
     * nothing and gives back the first one's report, asking head office again to confirm it if it was not yet.
     */
    public Result close(LocalDate day, String managerId) {
        Optional<Result> before = closed(day);
        if (before.isPresent()) {
            return before.get().confirmed() ? before.get() : confirmAgain(day, before.get());
        }
        return closeNow(day, managerId);
    }

    /** The day's close, if it was closed. */
    public Optional<Result> closed(LocalDate day) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT report, through_seq, digest, confirmed, closed_at FROM close_day WHERE business_date = :d
                ORDER BY confirmed DESC, closed_at LIMIT 1""")
                .bind("d", day)
                .map((rs, ctx) -> new Result(readReport(rs.getString(1)), rs.getLong(2), rs.getString(3), null,
                        rs.getBoolean(4), null, true, rs.getObject(5, OffsetDateTime.class)))
                .findOne());
    }

    /** When the day was first closed, if it was: one row read by its date (the counter asks once a day). */
    public Optional<OffsetDateTime> closedAt(LocalDate day) {
        return jdbi.withHandle(h -> h.createQuery("SELECT MIN(closed_at) FROM close_day WHERE business_date = :d")
                .bind("d", day).mapTo(OffsetDateTime.class).findOne());
    }

    /** Every close made, for the next report to count on from them. */
    private static List<ZReportService.Close> closes(Handle h) {
        return h.createQuery("SELECT business_date, closed_at, carries_after_close FROM close_day")
                .map((rs, ctx) -> new ZReportService.Close(rs.getObject(1, LocalDate.class),
                        rs.getObject(2, OffsetDateTime.class), rs.getBoolean(3)))
                .list();
    }

    private Result confirmAgain(LocalDate day, Result before) {
        if (engine.isEmpty()) {
            return before;
        }
        try {
            patiently(() -> engine.get().syncOnce());
            JsonNode receipt = patiently(() -> engine.get().receipt(before.throughSeq()));
            String officeDigest = receipt.path("digest").asText();
            boolean confirmed = before.digest().equals(officeDigest);
            if (confirmed) {
                jdbi.useTransaction(h -> h.createUpdate("UPDATE close_day SET confirmed = TRUE WHERE business_date = :d")
                        .bind("d", day).execute());
            }
            return new Result(before.report(), before.throughSeq(), before.digest(), officeDigest, confirmed,
                    confirmed ? null : new SyncException(SyncException.Kind.FAILED, "digest differs from head office's", 0, null),
                    true, before.closedAt());
        } catch (SyncException e) {
            return new Result(before.report(), before.throughSeq(), before.digest(), null, false, e, true, before.closedAt());
        }
    }

    private ZReport readReport(String body) {
        try {
            return json.readValue(body, ZReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored Z-report cannot be read", e);
        }
    }

    private Result closeNow(LocalDate day, String managerId) {
        SyncException problem = null;
        String officeDigest = null;
        if (engine.isEmpty()) {
            problem = new SyncException(SyncException.Kind.NOT_REGISTERED, dataDir.toAbsolutePath().toString(), 0, null);
        } else {
            try {
                patiently(() -> engine.get().syncOnce());
            } catch (SyncException e) {
                problem = e;
                LOG.info("close of day offline: {}", e.getMessage());
            }
        }
        long through = jdbi.withHandle(SyncEngine::acknowledgedThrough);
        String digest = jdbi.withHandle(h -> SyncEngine.digestThrough(h, through));
        if (problem == null) {
            try {
                JsonNode receipt = patiently(() -> engine.get().receipt(through));
                officeDigest = receipt.path("digest").asText();
            } catch (SyncException e) {
                problem = e;
            }
        }
        boolean confirmed = problem == null && digest.equals(officeDigest);
        if (problem == null && !confirmed) {
            problem = new SyncException(SyncException.Kind.FAILED, "digest differs from head office's", 0, null);
        }
        Made made = jdbi.inTransaction(h -> {
            // The chain's end is locked by every audit entry: two closes of one day at once are taken one at a time.
            h.createQuery("SELECT id FROM audit_head WHERE id = 1 FOR UPDATE").mapTo(Integer.class).one();
            if (h.createQuery("SELECT COUNT(*) FROM close_day WHERE business_date = :d").bind("d", day)
                    .mapTo(Integer.class).one() > 0) {
                return null;
            }
            // The report counts up to the close's instant and the next close's on from it: one instant for both.
            OffsetDateTime at = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            ZReport report = reports.build(h, day, at, closes(h));
            String body;
            try {
                body = json.writeValueAsString(report);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            h.createUpdate("""
                    INSERT INTO close_day(id, business_date, closed_at, report, through_seq, digest, confirmed,
                                          carries_after_close)
                    VALUES (:id, :day, :at, :report, :through, :digest, :confirmed, TRUE)""")
                    .bind("id", Ids.next()).bind("day", day).bind("at", at)
                    .bind("report", body).bind("through", through).bind("digest", digest).bind("confirmed", confirmed).execute();
            audit.append(h, managerId, AuditAction.DAY_CLOSED, day.toString(), java.util.Map.of(
                    "sales", Long.toString(report.sales()), "sales_fen", Long.toString(report.salesFen()),
                    "through_seq", Long.toString(through), "digest", digest, "confirmed", Boolean.toString(confirmed)));
            return new Made(report, at);
        });
        if (made == null) {
            return closed(day).orElseThrow();
        }
        return new Result(made.report(), through, digest, officeDigest, confirmed, problem, false, made.at());
    }

    private record Made(ZReport report, OffsetDateTime at) {
    }

    private interface OfficeCall<T> {
        T run() throws SyncException;
    }

    /** The call, repeated after each Retry-After while head office is busy and the budget lasts. */
    private <T> T patiently(OfficeCall<T> call) throws SyncException {
        long waitedSeconds = 0;
        while (true) {
            try {
                return call.run();
            } catch (SyncException e) {
                long wait = Math.max(1, e.retryAfterSeconds());
                if (e.kind() != SyncException.Kind.BUSY || waitedSeconds + wait > busyBudget.toSeconds()) {
                    throw e;
                }
                LOG.info("head office is busy; close of day tries again in {} s", wait);
                try {
                    pause.sleep(Duration.ofSeconds(wait));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                waitedSeconds += wait;
            }
        }
    }
}
