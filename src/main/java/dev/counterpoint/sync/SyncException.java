package dev.counterpoint.sync;

import dev.counterpoint.shared.UserMessage;

/** A sync that could not complete; nothing already confirmed is lost, and the next sync resumes where this one stopped. */
public final class SyncException extends RuntimeException {
    public enum Kind { UNREACHABLE, BUSY, REFUSED, FAILED, NOT_REGISTERED }

    private final Kind kind;
    private final long retryAfterSeconds;

    public SyncException(Kind kind, String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** What a cashier or manager reads. */
    public UserMessage userMessage() {
        return new UserMessage(switch (kind) {
            case UNREACHABLE -> "sync.error.unreachable";
            case BUSY -> "sync.error.busy";
            case REFUSED -> "sync.error.refused";
            case FAILED -> "sync.error.failed";
            case NOT_REGISTERED -> "sync.error.notRegistered";
        }, getMessage());
    }
}
