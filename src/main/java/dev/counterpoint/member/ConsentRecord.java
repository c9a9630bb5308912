package dev.counterpoint.member;

import dev.counterpoint.protocol.ConsentChannel;
import java.time.OffsetDateTime;

/**
 * A member's consent on one channel as this terminal holds it: the latest given or withdrawn, when, at which store and
 * terminal, and by whom ({@code staffId}: null until staff sign in at the counter).
 */
public record ConsentRecord(ConsentChannel channel, boolean granted, OffsetDateTime recordedAt, String storeId,
                            String terminalId, String staffId) {
}
