package dev.counterpoint.office;

/** A request head office refuses; the status is the HTTP status it answers with. */
public final class OfficeException extends RuntimeException {
    private final int status;

    public OfficeException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
