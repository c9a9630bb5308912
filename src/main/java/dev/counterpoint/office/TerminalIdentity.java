package dev.counterpoint.office;

/** The registered terminal a request was authenticated as. */
public record TerminalIdentity(String storeId, String terminalId) {
}
