package dev.counterpoint.office.console;

/** A console request refused: the HTTP status and what the page says, by bundle key. */
public final class ConsoleException extends RuntimeException {
    private final int status;
    private final String key;
    private final transient Object[] args;

    public ConsoleException(int status, String key, Object... args) {
        super(key);
        this.status = status;
        this.key = key;
        this.args = args;
    }

    public int status() {
        return status;
    }

    public String message(Texts t) {
        return t.text(key, args);
    }
}
