package dev.counterpoint.protocol;

/** An event or change that does not satisfy the protocol: the message says which field and why, for the verdict. */
public final class ProtocolException extends IllegalArgumentException {
    public ProtocolException(String message) {
        super(message);
    }
}
