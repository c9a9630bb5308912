package dev.counterpoint.cli;

import dev.counterpoint.office.OfficeDatabase;
import dev.counterpoint.office.OfficeServer;
import dev.counterpoint.office.reminder.ChannelSpec;
import dev.counterpoint.office.reminder.ReminderChannel;
import dev.counterpoint.office.reminder.ReminderChannels;
import dev.counterpoint.office.reminder.ReminderSchedule;
import dev.counterpoint.office.reminder.ReminderSettings;
import dev.counterpoint.office.reminder.Reminders;
import dev.counterpoint.office.reminder.Summary;
import dev.counterpoint.office.PhoneBoxes;
import dev.counterpoint.protocol.ConsentChannel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Head office sends the reminders due on a day (docs/reminders.md); the office also runs them daily when set up to. */
@Command(name = "reminders", mixinStandardHelpOptions = true,
        description = {"Work out the reminders due on a day and send them.",
                "Birthday, points expiring, win-back, a coupon head office issued: sent on one channel to the members who gave that",
                "channel's marketing consent, at most one message per member per day, none in the quiet hours, never one twice.",
                "Settings (quiet hours, days ahead, language, the daily schedule): reminders.properties in the office data dir",
                "(docs/reminders.md).",
                "Exit 0: done (or quiet hours: nothing sent); 2: bad input; 6: some sends failed (the next run tries them again)."})
public final class OfficeRemindersCommand implements Callable<Integer> {
    static final String SECRET_ENV = "COUNTERPOINT_REMINDER_SECRET";

    @ParentCommand
    OfficeCommand office;

    @Mixin
    OfficeCommand.DbOptions db;

    @Spec
    CommandSpec spec;

    @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = {"file:PATH (JSON lines), webhook:URL "
            + "(JSON POST) or sms:URL (an SMS gateway of Yunpian's single_send shape). https:// unless on this machine."})
    String channel;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The day to work out what is due on (default: today in "
            + "the chain's business zone; at most 31 days back).")
    String date;

    @Option(names = "--consent", paramLabel = "sms|wechat", description = "The marketing consent members must have given "
            + "(default: sms; file and webhook only).")
    String consent;

    @Option(names = "--secret-file", paramLabel = "FILE", description = {"File holding the webhook's signing secret or the SMS "
            + "gateway's API key (its first line; owner-only), or set " + SECRET_ENV + "."})
    Path secretFile;

    @Override
    public Integer call() {
        ChannelSpec parsed = parse(spec, "--channel", channel);
        ConsentChannel needed = consent(spec, "--consent", consent);
        String secret = secret(spec, parsed, "--secret-file", secretFile);
        OfficeCommand.logToOfficeDir(office.root);
        ReminderSettings settings = settings(spec, office);
        Clock clock = Clock.systemUTC();
        ReminderChannel out = open(spec, "--channel", parsed, needed, secret, clock);
        try (OfficeDatabase database = OfficeCommand.openForCommand(db, office, spec)) {
            Reminders reminders = new Reminders(database.jdbi(), new PhoneBoxes(database.jdbi(), clock, OfficeCommand.json(),
                    database.settingSeal()), clock, OfficeCommand.json(), settings);
            LocalDate day;
            try {
                day = date == null ? reminders.now().toLocalDate() : reminders.day(date);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Summary summary = reminders.run(day, out, false);
            PrintWriter printed = spec.commandLine().getOut();
            summary.lines().forEach(printed::println);
            printed.flush();
            return summary.failed() > 0 ? ExitCodes.UNREACHABLE : ExitCodes.OK;
        }
    }

    /**
     * The office's daily run when {@code reminders.properties} sets {@code schedule.time}, its channel opened and checked
     * now (a bad setting stops the office before it listens); null when there is none. Started by the caller.
     */
    static ReminderSchedule schedule(OfficeCommand office, OfficeDatabase database, OfficeServer server, CommandSpec spec) {
        ReminderSettings settings = settings(spec, office);
        if (settings.schedule().isEmpty()) {
            return null;
        }
        ReminderSettings.Schedule s = settings.schedule().get();
        String where = " in " + ReminderSettings.FILE;
        ChannelSpec parsed = parse(spec, "schedule.channel" + where, s.channel());
        ConsentChannel needed = consent(spec, "schedule.consent" + where, s.consent());
        String secret = secret(spec, parsed, "schedule.secret-file" + where, s.secretFile());
        Clock clock = Clock.systemUTC();
        ReminderChannel out = open(spec, "schedule.channel" + where, parsed, needed, secret, clock);
        Reminders reminders = new Reminders(database.jdbi(), server.phoneBoxes(), clock, OfficeCommand.json(), settings);
        return new ReminderSchedule(reminders, out, s.time(), clock);
    }

    private static ReminderSettings settings(CommandSpec spec, OfficeCommand office) {
        try {
            return ReminderSettings.load(OfficeCommand.officeDir(office.root));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static ChannelSpec parse(CommandSpec spec, String option, String text) {
        try {
            return ChannelSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private static ConsentChannel consent(CommandSpec spec, String option, String text) {
        try {
            return text == null ? null : ChannelSpec.consent(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** The webhook's or gateway's secret; a file channel has none (the environment's is not its). */
    private static String secret(CommandSpec spec, ChannelSpec parsed, String option, Path file) {
        if (parsed.kind() == ChannelSpec.Kind.FILE) {
            if (file != null) {
                throw new ParameterException(spec.commandLine(), option + ": a file channel takes no secret");
            }
            return null;
        }
        return Secret.read(spec, option, file, SECRET_ENV);
    }

    private static ReminderChannel open(CommandSpec spec, String option, ChannelSpec parsed, ConsentChannel consent,
                                        String secret, Clock clock) {
        try {
            return ReminderChannels.open(parsed, consent, secret, clock);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
