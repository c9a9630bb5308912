package dev.counterpoint.office;

import java.util.UUID;

/**
 * Head office's answer for one event. ACCEPTED: applied. MERGED: applied, the member joined an earlier one.
 * CONFLICT: kept, but an earlier redemption holds the coupon. OVERDRAFT: applied, the balance is short.
 * REJECTED: kept in the inbox but not applied (the detail says why). REFUSED: from another terminal, not kept.
 */
public record Verdict(UUID eventId, String verdict, String detail) {
    public static final String ACCEPTED = "ACCEPTED";
    public static final String MERGED = "MERGED";
    public static final String CONFLICT = "CONFLICT";
    public static final String OVERDRAFT = "OVERDRAFT";
    public static final String REJECTED = "REJECTED";
    public static final String REFUSED = "REFUSED";
}
