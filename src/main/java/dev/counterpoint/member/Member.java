package dev.counterpoint.member;

import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Tier;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A member as the counter sees it. The phone is only ever held masked. */
public record Member(UUID id, String cardCode, String displayName, String phoneMasked, LocalDate birthday,
                     Tier tier, String homeStore, OffsetDateTime enrolledAt, EnrolmentSource enrolledVia) {

}
