package dev.counterpoint.protocol;

/** Why something is suggested; stable codes that scripts read from {@code lookup --json}. */
public enum ReasonCode {
    BIRTHDAY, WIN_BACK, WELCOME, WALLET, TIER_PERK, POINTS_EXPIRING, AFFINITY, CHURN_RISK
}
