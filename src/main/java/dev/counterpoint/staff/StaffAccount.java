package dev.counterpoint.staff;

import dev.counterpoint.protocol.StaffRole;
import java.time.OffsetDateTime;

/** A staff account as this terminal holds it (never its PIN, only the hash). */
public record StaffAccount(String id, String storeId, String name, StaffRole role, boolean active, int failedAttempts,
                           OffsetDateTime lockedUntil) {
}
