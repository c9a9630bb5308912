package dev.counterpoint.protocol;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The field checks the protocol's records make in their constructors: a record that exists is well formed. */
final class Check {
    /** Ids, codes, store and terminal names. */
    static final int MAX_CODE = 64;
    /** STORE-TERMINAL-SEQUENCE with ids of up to 32 characters each. */
    static final int MAX_RECEIPT = 100;
    /** Names, reasons, free text. */
    static final int MAX_TEXT = 200;

    private Check() {}

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new ProtocolException("missing " + field);
        }
        return value;
    }

    static String text(String value, String field, int max) {
        required(value, field);
        if (value.isBlank()) {
            throw new ProtocolException("empty " + field);
        }
        return optText(value, field, max);
    }

    /** Free text on one line: within {@code max}, no control characters, no bidi controls ({@link Text}). */
    static String optText(String value, String field, int max) {
        Text.problem(value, max).ifPresent(p -> fail(p, field, max));
        return value;
    }

    /** Text that may span lines (a rule set's JSON): tabs and line breaks allowed, other controls not. */
    static String multilineText(String value, String field, int max) {
        required(value, field);
        if (value.isBlank()) {
            throw new ProtocolException("empty " + field);
        }
        Text.multilineProblem(value, max).ifPresent(p -> fail(p, field, max));
        return value;
    }

    private static void fail(Text.Problem problem, String field, int max) {
        throw new ProtocolException(switch (problem) {
            case TOO_LONG -> field + " is longer than " + max + " characters";
            case CONTROL -> field + " holds a control character";
            case BIDI -> field + " holds a bidirectional text control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069)";
        });
    }

    static long positive(long value, String field) {
        if (value <= 0) {
            throw new ProtocolException(field + " must be positive");
        }
        return value;
    }

    static long notNegative(long value, String field) {
        if (value < 0) {
            throw new ProtocolException(field + " must not be negative");
        }
        return value;
    }

    static long atMost(long value, long max, String field) {
        if (value > max) {
            throw new ProtocolException(field + " " + value + " is above the most allowed, " + max);
        }
        return value;
    }

    /** The fields every enrolment carries, in events and in changes alike. */
    static void enrolment(UUID memberId, String cardCode, String name, String phoneHmac, String phoneMasked, Tier tier,
                          String homeStore, OffsetDateTime enrolledAt) {
        required(memberId, "member_id");
        text(cardCode, "card_code", MAX_CODE);
        text(name, "name", MAX_TEXT);
        optText(phoneHmac, "phone_hmac", MAX_CODE);
        optText(phoneMasked, "phone_masked", MAX_CODE);
        required(tier, "tier");
        text(homeStore, "home_store", MAX_CODE);
        required(enrolledAt, "enrolled_at");
    }

    static <T> List<T> list(List<T> value, String field) {
        required(value, field);
        for (T item : value) {
            if (item == null) {
                throw new ProtocolException(field + " holds an empty item");
            }
        }
        return List.copyOf(value);
    }

    /** A purchase's lines: at most {@link Limits#MAX_LINES}, and adding up to the total when there are any. */
    static List<Event.Line> lines(List<Event.Line> lines, long totalFen) {
        List<Event.Line> copy = list(lines, "lines");
        if (copy.size() > Limits.MAX_LINES) {
            throw new ProtocolException("more than " + Limits.MAX_LINES + " lines");
        }
        if (!copy.isEmpty() && copy.stream().mapToLong(Event.Line::amountFen).sum() != totalFen) {
            throw new ProtocolException("lines do not add up to total_fen");
        }
        return copy;
    }

    /** An adjustment's amount: not zero, within {@code max} either way, and the balance after is the one before plus it. */
    static void adjustment(long delta, long max, long balanceBefore, long balanceAfter, String field) {
        if (delta == 0) {
            throw new ProtocolException(field + " must not be zero");
        }
        if (delta < -max || delta > max) {
            throw new ProtocolException(field + " " + delta + " is beyond the most allowed either way, " + max);
        }
        long after;
        try {
            after = Math.addExact(balanceBefore, delta);
        } catch (ArithmeticException e) {
            throw new ProtocolException("the balance after is out of range");
        }
        if (after != balanceAfter) {
            throw new ProtocolException("the balance after is not the balance before plus " + field);
        }
    }

    /** Why an adjustment was made (required, one line) and who made and approved it. */
    static void adjustedBy(String reason, String staffId, String managerId) {
        text(reason, "reason", MAX_TEXT);
        if (!reason.equals(reason.strip())) {
            throw new ProtocolException("reason starts or ends with a space");
        }
        text(staffId, "staff_id", MAX_CODE);
        text(managerId, "manager_id", MAX_CODE);
    }

    /** A yearly review: one of the REVIEW_ reasons, and the one that matches the direction from one tier to the other. */
    static void review(Tier fromTier, Tier toTier, TierReason reason) {
        if (!reason.name().startsWith("REVIEW_")) {
            throw new ProtocolException("a review's reason is one of the REVIEW_ reasons");
        }
        int expected = switch (reason) {
            case REVIEW_DOWNGRADE -> -1;
            case REVIEW_UPGRADE -> 1;
            default -> 0;
        };
        if (Integer.signum(toTier.compareTo(fromTier)) != expected) {
            throw new ProtocolException("reason " + reason + " does not match " + fromTier + " -> " + toTier);
        }
    }
}
