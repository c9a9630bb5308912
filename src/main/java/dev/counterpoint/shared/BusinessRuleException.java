package dev.counterpoint.shared;

/** An action the rules do not allow; carries the message the cashier should see. Nothing was written. */
public final class BusinessRuleException extends RuntimeException {
    private final transient UserMessage userMessage;

    public BusinessRuleException(String key, Object... args) {
        super(key);
        this.userMessage = new UserMessage(key, args);
    }

    public UserMessage userMessage() {
        return userMessage;
    }
}
