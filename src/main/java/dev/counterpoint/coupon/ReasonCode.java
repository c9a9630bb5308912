package dev.counterpoint.coupon;

/** Why a coupon is suggested; stable codes that scripts read from {@code lookup --json}. */
public enum ReasonCode {
    BIRTHDAY, WIN_BACK, WELCOME, WALLET
}
