package dev.counterpoint.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogConfiguratorTest {

    @Test
    void infoGoesToTheLogFileInTheGivenFolderAndFlywayIsQuietened(@TempDir Path dir) throws Exception {
        LoggerContext context = new LoggerContext();
        LogConfigurator.configure(context, dir);
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as logback's provider does
        context.start();

        context.getLogger("dev.counterpoint.x").info("ready to scan");
        context.getLogger("dev.counterpoint.x").debug("not at info");
        context.getLogger("org.flywaydb.core.Flyway").info("migrating");
        context.getLogger("org.flywaydb.core.Flyway").warn("schema ahead");
        context.stop();

        String log = Files.readString(dir.resolve("counterpoint.log"));
        assertThat(log).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} INFO  \\[main\\] dev.counterpoint.x - ready to scan")
                .contains("WARN  [main] org.flywaydb.core.Flyway - schema ahead")
                .doesNotContain("not at info").doesNotContain("migrating");
    }

    @Test
    void theFileRollsDailyAndBySizeAndStderrTakesErrorsOnly(@TempDir Path dir) {
        LoggerContext context = new LoggerContext();
        LogConfigurator.configure(context, dir);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        RollingFileAppender<?> file = (RollingFileAppender<?>) root.getAppender("FILE");
        assertThat(file.isStarted()).isTrue();
        var rolling = (ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy<?>) file.getRollingPolicy();
        assertThat(rolling.getMaxHistory()).isEqualTo(30);
        assertThat(rolling.getFileNamePattern())
                .isEqualTo(dir.resolve("counterpoint.%d{yyyy-MM-dd}.%i.log").toString());
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        @SuppressWarnings("unchecked")
        var filter = (ch.qos.logback.core.filter.Filter<ILoggingEvent>) stderr.getCopyOfAttachedFiltersList().get(0);
        assertThat(filter.decide(new LoggingEvent("x", root, Level.WARN, "w", null, null))).isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(new LoggingEvent("x", root, Level.ERROR, "e", null, null))).isEqualTo(FilterReply.NEUTRAL);
        context.stop();
    }

    @Test
    void anExplicitConfigurationWinsSuchAsTheTestsLogbackTestXml() {
        // this class path carries src/test/resources/logback-test.xml
        LoggerContext context = new LoggerContext();
        LogConfigurator configurator = new LogConfigurator();
        configurator.setContext(context);

        assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.NEUTRAL);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("FILE")).isNull();
    }

    @Test
    void theLogFolderIsTheOneTheCommandLineSetElseTheUsersOwnDataDirsNeverASharedTemporaryOne() {
        String before = System.getProperty(LogConfigurator.DIR_PROPERTY);
        try {
            System.setProperty(LogConfigurator.DIR_PROPERTY, "/data/store/logs");
            assertThat(LogConfigurator.logDir()).isEqualTo(Path.of("/data/store/logs"));
            System.clearProperty(LogConfigurator.DIR_PROPERTY);
            assertThat(LogConfigurator.logDir()).isEqualTo(dev.counterpoint.store.DataDir.defaultDir().resolve("logs"));
            assertThat(LogConfigurator.logDir().startsWith(System.getProperty("java.io.tmpdir"))).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(LogConfigurator.DIR_PROPERTY);
            } else {
                System.setProperty(LogConfigurator.DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void theLogFolderAndItsFilesAreTheOwnersAlone(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("logs");
        Files.createDirectories(dir);
        Path earlier = Files.writeString(dir.resolve("counterpoint.2026-12-01.0.log"), "an earlier version's log");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(earlier, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        LoggerContext context = new LoggerContext();
        LogConfigurator.configure(context, dir);
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        context.getLogger("dev.counterpoint.x").info("ready to scan");
        context.stop();

        assertThat(permissions(dir)).isEqualTo("rwx------");
        assertThat(permissions(earlier)).isEqualTo("rw-------");
        assertThat(permissions(dir.resolve("counterpoint.log"))).isEqualTo("rw-------");
    }

    private static String permissions(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
