package dev.counterpoint.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Small secret files (keys, a registration reply) written owner-only and durably: whole or not at all. */
public final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * Writes to a private temporary file beside {@code file}, forces it to disk, moves it into place and forces the
     * folder: database rows committed right after depend on it, so it must outlive a power cut that they outlive.
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.createDirectories(dir);
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        ownerOnly(tmp, "rw-------");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(content));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceFolder(dir);
    }

    /** Creates the folder if needed and makes it owner-only (POSIX). */
    public static void privateFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        ownerOnly(dir, "rwx------");
    }

    /** Makes an existing file owner-only (POSIX). */
    public static void ownerOnlyFile(Path file) throws IOException {
        ownerOnly(file, "rw-------");
    }

    /** Creates an empty file (and its folder) readable and writable by its owner alone from the start (POSIX). */
    public static void createOwnerOnly(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // Windows: the per-user folders are already private
        } catch (java.nio.file.FileAlreadyExistsException e) {
            ownerOnly(file, "rw-------");
        }
    }

    private static void ownerOnly(Path p, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Windows: the per-user application-data folders are already private
        }
    }

    /** Forces a folder's entries (a rename into it) to disk where the system allows. */
    static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder as a channel; NTFS journals the rename itself
        }
    }
}
