package dev.counterpoint.importer;

/** Told after each committed chunk of an import: rows done (imported or refused) and how far into the file. */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (rows, bytesRead, bytesTotal) -> { };

    void advanced(long rows, long bytesRead, long bytesTotal);
}
