package dev.counterpoint.wiring;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import dev.counterpoint.store.DataDir;
import dev.counterpoint.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The terminal's and head office's logging, set up in code (found by logback through {@code META-INF/services}): the
 * data dir's {@code logs/counterpoint.log} at INFO, rolled daily and at 10 MB, 30 days and 200 MB kept; errors also on
 * stderr. The folder and its files are the owner's alone (0700, 0600): a log names stores, terminals and card codes.
 * Logback's XML configuration loads some 650 classes (its Joran model and an XML parser) on the thread that logs
 * first, which at the counter is the one about to start the window; this loads a fraction of them.
 *
 * <p>An explicit configuration still wins: {@code -Dlogback.configurationFile=...}, or a {@code logback-test.xml}
 * on the class path (the tests' quiet stderr logging).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** The log folder; the command line points it into the data dir before anything logs ({@code cli.CommandRoot}). */
    public static final String DIR_PROPERTY = "counterpoint.logDir";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.NEUTRAL;
        }
        configure(context, logDir());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Path logDir() {
        String dir = System.getProperty(DIR_PROPERTY);
        // not a shared temporary folder: the user's own data dir
        return dir != null ? Path.of(dir) : DataDir.defaultDir().resolve("logs");
    }

    /** The file and stderr appenders on the root logger (INFO; Flyway at WARN), writing into {@code dir}. */
    static void configure(LoggerContext context, Path dir) {
        ownerOnly(dir);
        RollingFileAppender<ILoggingEvent> file = new OwnerOnlyFileAppender();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(dir.resolve("counterpoint.log").toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(dir.resolve("counterpoint.%d{yyyy-MM-dd}.%i.log").toString());
        rolling.setMaxFileSize(FileSize.valueOf("10MB"));
        rolling.setMaxHistory(30);
        rolling.setTotalSizeCap(FileSize.valueOf("200MB"));
        rolling.start();
        file.setRollingPolicy(rolling);
        file.setEncoder(encoder(context, "%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n"));
        file.start();

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        ThresholdFilter errorsOnly = new ThresholdFilter();
        errorsOnly.setContext(context);
        errorsOnly.setLevel("ERROR");
        errorsOnly.start();
        stderr.addFilter(errorsOnly);
        stderr.setEncoder(encoder(context, "%d{HH:mm:ss} %-5level %logger{20} - %msg%n"));
        stderr.start();

        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(file);
        root.addAppender(stderr);
    }

    /** The folder made owner-only, and the files an earlier version left readable by others made so too. */
    private static void ownerOnly(Path dir) {
        try {
            PrivateFiles.privateFolder(dir);
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    PrivateFiles.ownerOnlyFile(f);
                }
            }
        } catch (IOException e) {
            // logback reports a log file it cannot open; the counter runs on without it
        }
    }

    /** Creates each log file (the first, and each after a roll-over) owner-only before logback opens it. */
    static final class OwnerOnlyFileAppender extends RollingFileAppender<ILoggingEvent> {
        @Override
        public void openFile(String fileName) throws IOException {
            Path p = Path.of(fileName);
            if (!Files.exists(p)) {
                PrivateFiles.createOwnerOnly(p);
            }
            super.openFile(fileName);
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
