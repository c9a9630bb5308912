package dev.counterpoint.member;

import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** What is written when a member joins: at the counter, by import, or by the demo generator. */
public record NewMember(UUID id, String cardCode, String displayName, String normalisedPhone, LocalDate birthday,
                        Tier tier, String homeStore, OffsetDateTime enrolledAt, EnrolmentSource source) {
}
