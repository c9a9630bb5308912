package dev.counterpoint.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.report.ZReport;
import dev.counterpoint.report.ZReportService;
import dev.counterpoint.store.Ids;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
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

    public CloseDay(Jdbi jdbi, ZReportService reports, Optional<SyncEngine> engine, ObjectMapper json, Clock clock) {
        this.jdbi = jdbi;
        this.reports = reports;
        this.engine = engine;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param officeDigest head office's digest of the same events, or null when it could not be asked
     * @param problem      why head office did not confirm (null when it did)
     */
    public record Result(ZReport report, long throughSeq, String digest, String officeDigest, boolean confirmed,
                         SyncException problem) {
    }

    public Result close(LocalDate day) {
        SyncException problem = null;
        String officeDigest = null;
        if (engine.isEmpty()) {
            problem = new SyncException(SyncException.Kind.NOT_REGISTERED, "", 0, null);
        } else {
            try {
                engine.get().syncOnce();
            } catch (SyncException e) {
                problem = e;
                LOG.info("close of day offline: {}", e.getMessage());
            }
        }
        long through = jdbi.withHandle(SyncEngine::acknowledgedThrough);
        String digest = jdbi.withHandle(h -> SyncEngine.digestThrough(h, through));
        if (problem == null) {
            try {
                JsonNode receipt = engine.get().receipt(through);
                officeDigest = receipt.path("digest").asText();
            } catch (SyncException e) {
                problem = e;
            }
        }
        boolean confirmed = problem == null && digest.equals(officeDigest);
        if (problem == null && !confirmed) {
            problem = new SyncException(SyncException.Kind.FAILED, "digest differs from head office's", 0, null);
        }
        ZReport report = jdbi.withHandle(h -> reports.build(h, day));
        String body;
        try {
            body = json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbi.useTransaction(h -> h.createUpdate("""
                INSERT INTO close_day(id, business_date, closed_at, report, through_seq, digest, confirmed)
                VALUES (:id, :day, :at, :report, :through, :digest, :confirmed)""")
                .bind("id", Ids.next()).bind("day", day).bind("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .bind("report", body).bind("through", through).bind("digest", digest).bind("confirmed", confirmed).execute());
        return new Result(report, through, digest, officeDigest, confirmed, problem);
    }
}
