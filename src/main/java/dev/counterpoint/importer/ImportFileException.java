package dev.counterpoint.importer;

import dev.counterpoint.shared.UserMessage;

/** The file cannot be imported at all (missing, unreadable, not UTF-8, not CSV, wrong header); nothing was imported. */
public final class ImportFileException extends Exception {
    private final transient UserMessage userMessage;

    /** A file its importer cannot use as it stands, for a reason the message tells. */
    public ImportFileException(UserMessage userMessage) {
        this(userMessage, null);
    }

    ImportFileException(UserMessage userMessage, Throwable cause) {
        super(userMessage.key(), cause);
        this.userMessage = userMessage;
    }

    public UserMessage userMessage() {
        return userMessage;
    }
}
