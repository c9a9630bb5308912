package dev.counterpoint.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A password the command needs, from a file or the environment, never from the arguments (which any user of the
 * machine can read in the process list).
 */
final class Secret {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private Secret() {}

    /**
     * The first line of {@code file} when given (refused when others may read or change it), else the environment
     * variable {@code env}, else null.
     */
    static String read(CommandSpec spec, String option, Path file, String env) {
        if (file != null) {
            try {
                if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                    Set<PosixFilePermission> open = EnumSet.copyOf(Files.getPosixFilePermissions(file));
                    open.retainAll(OTHERS);
                    if (!open.isEmpty()) {
                        throw new ParameterException(spec.commandLine(), option + ": " + file
                                + " may be read or changed by other users; make it owner-only (chmod 600 " + file + ")");
                    }
                }
                String content = Files.readString(file, StandardCharsets.UTF_8);
                String line = content.lines().findFirst().orElse("");
                if (line.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), option + ": " + file + " is empty; put the password on its first line");
                }
                return line;
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), option + ": cannot read " + file + " (" + e.getMessage() + ")");
            }
        }
        String value = System.getenv(env);
        return value == null || value.isEmpty() ? null : value;
    }
}
