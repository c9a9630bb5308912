package dev.counterpoint.office.report;

import java.time.DateTimeException;
import java.time.ZoneId;
import org.jdbi.v3.core.Handle;

/**
 * The zone whose calendar days are the chain's business days (decision 0060): office setting {@code business_zone},
 * Asia/Shanghai unless the owner set another before the first event was projected.
 */
public final class BusinessZone {
    public static final ZoneId DEFAULT = ZoneId.of("Asia/Shanghai");

    private BusinessZone() {
    }

    /** The chain's business zone; a setting that names no zone is an error, never silently UTC. */
    public static ZoneId read(Handle h) {
        return h.createQuery("SELECT setting_value FROM office_setting WHERE name = 'business_zone'").mapTo(String.class)
                .findOne().map(BusinessZone::parse).orElse(DEFAULT);
    }

    static ZoneId parse(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new IllegalStateException("office setting business_zone '" + name + "' is not a time zone", e);
        }
    }
}
