package dev.counterpoint.importer;

/** Rows written and rows refused; each refused row was reported with its line number and reasons. */
public record ImportResult(long imported, long rejected) {
}
