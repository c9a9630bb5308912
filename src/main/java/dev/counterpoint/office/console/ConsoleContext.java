package dev.counterpoint.office.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.counterpoint.office.OwnerApi;
import dev.counterpoint.office.Registrations;
import java.time.Clock;
import java.time.ZoneId;
import org.jdbi.v3.core.Jdbi;

/**
 * What the console's pages work with: head office's database, its clock and business zone (what "today" is), and the
 * office services whose actions the pages share with the API (terminals and their codes, rule sets, coupons).
 */
public record ConsoleContext(Jdbi jdbi, Clock clock, ZoneId zone, ObjectMapper json, Registrations registrations,
                             OwnerApi owner, ConsoleAudit audit) {
    public ConsoleContext(Jdbi jdbi, Clock clock, ZoneId zone, ObjectMapper json, Registrations registrations, OwnerApi owner) {
        this(jdbi, clock, zone, json, registrations, owner, new ConsoleAudit(jdbi, clock));
    }
}
