package dev.counterpoint.office.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.office.OwnerApi;
import dev.counterpoint.office.Registrations;
import dev.counterpoint.office.report.Reports;
import java.time.Clock;
import java.time.ZoneId;
import org.jdbi.v3.core.Jdbi;

/**
 * What the console's pages work with: head office's database, its clock and business zone (what "today" is), and the
 * office services whose actions and figures the pages share with the API (terminals and their codes, rule sets, the
 * KPI roll-ups' reports).
 */
public record ConsoleContext(Jdbi jdbi, Clock clock, ZoneId zone, ObjectMapper json, Registrations registrations,
                             OwnerApi owner, Reports reports, ConsoleAudit audit) {
    public ConsoleContext(Jdbi jdbi, Clock clock, ZoneId zone, ObjectMapper json, Registrations registrations, OwnerApi owner,
                          Reports reports) {
        this(jdbi, clock, zone, json, registrations, owner, reports, new ConsoleAudit(jdbi, clock));
    }
}
