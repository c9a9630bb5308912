package dev.counterpoint.protocol;

/** Head office's answer for one pushed event. */
public enum Verdict {
    /** Applied. */
    ACCEPTED,
    /** Applied; the member joined one head office knew before (same phone). */
    MERGED,
    /** Kept, but an earlier redemption holds the coupon. */
    CONFLICT,
    /** Applied; the balance is short (spent offline beyond it). */
    OVERDRAFT,
    /** Kept in the inbox but not applied: it breaks the protocol or the chain's rules (the detail says why). */
    REJECTED,
    /** Claims another terminal as its sender: not kept. */
    REFUSED
}
