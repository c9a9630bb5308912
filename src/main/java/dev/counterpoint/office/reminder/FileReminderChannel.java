package dev.counterpoint.office.reminder;

import dev.counterpoint.protocol.ConsentChannel;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reminders appended to a file, one JSON object a line ({@link ReminderMessage#json()}), for another system to send.
 * The file holds members' full phone numbers: it is made readable by its owner only, and a file others may read is
 * refused. Each line is on the disk before the message counts as sent.
 */
public final class FileReminderChannel implements ReminderChannel {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private final Path file;
    private final ConsentChannel consent;

    public FileReminderChannel(Path file, ConsentChannel consent) {
        this.file = file;
        this.consent = consent;
    }

    /** Makes the file (owner-only) if it is not there, and refuses one other users may read: before anything is sent. */
    public void prepare() {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("file:" + file + ": the folder " + dir + " does not exist");
        }
        try {
            boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
            if (!Files.exists(file)) {
                try {
                    if (posix) {
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE)));
                    } else {
                        Files.createFile(file);
                    }
                } catch (FileAlreadyExistsException raced) {
                    // made by another run meanwhile: checked below as any existing file
                }
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("file:" + file + " is not a plain file");
            }
            if (posix) {
                Set<PosixFilePermission> open = EnumSet.copyOf(Files.getPosixFilePermissions(file));
                open.retainAll(OTHERS);
                if (!open.isEmpty()) {
                    throw new IllegalArgumentException("file:" + file + " may be read or changed by other users, and it "
                            + "holds members' phone numbers; make it owner-only (chmod 600 " + file + ")");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("file:" + file + ": cannot be made or read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String name() {
        return ChannelSpec.Kind.FILE.wire();
    }

    @Override
    public String shown() {
        return "file:" + file;
    }

    @Override
    public ConsentChannel consent() {
        return consent;
    }

    @Override
    public Delivery send(ReminderMessage message) {
        byte[] line = (message.json() + "\n").getBytes(StandardCharsets.UTF_8);
        // Opened per message: a file moved away meanwhile (rotated) is made again, owner-only, not written through a
        // stale handle.
        if (!Files.exists(file)) {
            try {
                prepare();
            } catch (IllegalArgumentException e) {
                return new Delivery.Failed(e.getMessage());
            }
        }
        // A stream, not a FileChannel: an office stopping mid-run interrupts this thread, and an interrupted channel
        // closes after the line is written but before it is reported sent, so the message would be tried again.
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            out.write(line);
            out.getFD().sync();
            return new Delivery.Sent(null);
        } catch (IOException e) {
            return new Delivery.Failed("cannot append to " + file + ": " + e.getMessage());
        }
    }
}
