package dev.counterpoint.importer;

import dev.counterpoint.loyalty.PointsLedger;
import dev.counterpoint.loyalty.RuleSet;
import dev.counterpoint.loyalty.RuleSetRepository;
import dev.counterpoint.loyalty.StoredValueLedger;
import dev.counterpoint.member.ConsentAnswer;
import dev.counterpoint.member.ConsentRecord;
import dev.counterpoint.member.ConsentRepository;
import dev.counterpoint.member.MemberRepository;
import dev.counterpoint.member.MemberService;
import dev.counterpoint.member.NewMember;
import dev.counterpoint.member.Phones;
import dev.counterpoint.protocol.EnrolmentSource;
import dev.counterpoint.protocol.Event;
import dev.counterpoint.protocol.PointsKind;
import dev.counterpoint.protocol.StoredValueKind;
import dev.counterpoint.protocol.Tier;
import dev.counterpoint.shared.UserMessage;
import dev.counterpoint.store.Hlc;
import dev.counterpoint.store.Ids;
import dev.counterpoint.store.Outbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports members from another system's export: {@code card_code,phone,name,birthday,tier,points,stored_value_fen}.
 * Each good row becomes a member enrolled via IMPORT at this store (so no welcome offer), its opening
 * points and stored value, and one {@code member.imported} event, all in the same transaction. Each row is
 * checked before anything of it is written, so a bad row is reported and skipped without touching good ones;
 * good rows are committed {@value #BATCH_ROWS} at a time.
 *
 * <p>The file streams through two threads (decision 0083): a reader parses and checks each row and makes what its rows
 * and event will hold (ids, the phone's keyed hash and seals, the event's JSON), a chunk at a time; the caller's thread
 * looks the chunk's card codes and phones up in the store, refuses those taken, and writes the rest in one JDBC batch
 * per table and one transaction. At most {@value #CHUNKS_AHEAD} chunks wait between them, so memory does not grow
 * with the file, but for the first line of each card code ({@link FirstLines}, 20 bytes a code).
 */
public final class MemberImporter {
    public static final List<String> COLUMNS =
            List.of("card_code", "phone", "name", "birthday", "tier", "points", "stored_value_fen");
    /** Optional: whether the member agreed to marketing (yes/no, 1/0, 是/否), recorded for SMS and WeChat alike. */
    public static final String MARKETING_CONSENT = "marketing_consent";
    static final int BATCH_ROWS = 5_000;
    /** Chunks the reader may have ready while one is written: enough to keep both threads busy. */
    static final int CHUNKS_AHEAD = 1;
    static final int MAX_CARD_CODE_LENGTH = 64;     // member_code.code
    static final int MAX_PHONE_LENGTH = 32;         // generous for "+86 138-0013-8000" and the like
    static final long MAX_POINTS = 1_000_000_000L;
    static final long MAX_STORED_VALUE_FEN = 10_000_000_000L; // ¥100 million, as Money.parseYuan
    private static final Pattern CARD_CODE = Pattern.compile("[^\\s\\p{Cntrl}]+");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Logger LOG = LoggerFactory.getLogger(MemberImporter.class);

    private final Jdbi jdbi;
    private final MemberRepository members;
    private final PointsLedger points;
    private final StoredValueLedger storedValue;
    private final RuleSetRepository rules;
    private final Outbox outbox;
    private final Hlc hlc;
    private final Clock clock;
    private final String storeId;
    private final String terminalId;
    private final ConsentRepository consent = new ConsentRepository();

    public MemberImporter(Jdbi jdbi, MemberRepository members, PointsLedger points, StoredValueLedger storedValue,
                          RuleSetRepository rules, Outbox outbox, Hlc hlc, Clock clock, String storeId,
                          String terminalId) {
        this.jdbi = jdbi;
        this.members = members;
        this.points = points;
        this.storedValue = storedValue;
        this.rules = rules;
        this.outbox = outbox;
        this.hlc = hlc;
        this.clock = clock;
        this.storeId = storeId;
        this.terminalId = terminalId;
    }

    /**
     * Imports the file, reporting each refused row's problems to {@code errors} as they are found.
     *
     * @throws ImportFileException when the file cannot be read at all; then nothing was imported
     */
    public ImportResult importFile(Path file, Consumer<UserMessage> errors) throws ImportFileException {
        return importFile(file, errors, ImportProgress.NONE);
    }

    /** As {@link #importFile(Path, Consumer)}, telling {@code progress} after each committed chunk. */
    public ImportResult importFile(Path file, Consumer<UserMessage> errors, ImportProgress progress)
            throws ImportFileException {
        try (CsvFile csv = CsvFile.open(file, COLUMNS, List.of(MARKETING_CONSENT)); Handle h = jdbi.open()) {
            Run run = new Run(rules.active(h), OffsetDateTime.now(clock), errors, members.phoneBoxer(h));
            Reader reader = new Reader(csv, run);
            Thread thread = new Thread(reader, "member-import-reader");
            thread.setDaemon(true);
            thread.start();
            // Every row that refers to a member is written after it in the same transaction, so the foreign keys'
            // look-ups (one a name piece, card and ledger entry) could only ever pass. The setting is H2's, for the
            // whole database and not kept in its file; the import commands hold the store alone.
            h.execute("SET REFERENTIAL_INTEGRITY FALSE");
            try {
                for (Chunk chunk = reader.take(); chunk != Chunk.END; chunk = reader.take()) {
                    Chunk c = chunk;
                    h.useTransaction(tx -> write(tx, c, run));
                    progress.advanced(run.imported + run.rejected, c.bytesRead, csv.size());
                }
            } finally {
                h.execute("SET REFERENTIAL_INTEGRITY TRUE");
                reader.stop();
                thread.interrupt();
                joinQuietly(thread);
            }
            LOG.info("imported members from {}: {} imported, {} rejected", file, run.imported, run.rejected);
            return new ImportResult(run.imported, run.rejected);
        }
    }

    /** Looks the chunk's codes and phones up, refuses those taken, writes the rest and their events. */
    private void write(Handle h, Chunk chunk, Run run) {
        Taken taken = Taken.lookUp(h, members, chunk.rows);
        try (MemberRepository.NewMembers memberRows = members.newMembers(h);
             PointsLedger.Appends pointRows = points.appends(h);
             StoredValueLedger.Appends svRows = storedValue.appends(h);
             ConsentRepository.NewConsents consentRows = consent.newConsents(h);
             Outbox.Batch events = outbox.batch(h)) {
            for (Candidate c : chunk.rows) {
                // The phone's place comes after the card's: told first, it keeps the card's place where it was.
                if (c.phoneHmac != null) {
                    Taken.Holder holder = taken.phones.get(c.phoneHmac);
                    if (holder != null) {
                        c.check.rejectAt(c.phoneSlot, "import.row.phoneTaken", RowCheck.shown(c.phoneRaw), holder.name(),
                                holder.cardCode());
                    }
                }
                if (c.code != null && taken.codes.contains(c.code)) {
                    c.check.rejectAt(c.codeSlot, "import.row.cardCodeExists", c.code);
                }
                if (!c.check.ok()) {
                    run.rejected++;
                    c.check.errors().forEach(run.errors);
                    continue;
                }
                long stamp = hlc.now();
                memberRows.add(c.member, c.phoneHmac, c.phoneSealed, stamp);
                if (c.pointsEntry != null) {
                    pointRows.add(c.pointsEntry, c.member.id(), c.openingPoints, PointsKind.OPENING, run.lotExpires, null,
                            run.now, stamp);
                }
                if (c.svEntry != null) {
                    svRows.add(c.svEntry, c.member.id(), c.openingFen, StoredValueKind.OPENING, null, run.now, stamp);
                }
                events.add(c.imported);
                if (c.consent != null) {
                    long consentStamp = hlc.now();
                    c.consent.channels().forEach((channel, value) -> consentRows.add(c.member.id(),
                            new ConsentRecord(channel, value, run.now, storeId, terminalId, null), consentStamp));
                    events.add(c.consentEvent);
                }
                taken.imported(c);
                run.imported++;
            }
            // Members first: every other row refers to one.
            memberRows.flush();
            pointRows.flush();
            svRows.flush();
            consentRows.flush();
            events.flush();
        }
    }

    /** Checks one row as far as it can be without the store, and makes what a good row writes. */
    private Candidate check(CsvRow row, Run run) {
        RowCheck check = new RowCheck(row);
        Candidate c = new Candidate(check);
        if (!check.hasAllColumns()) {
            return c;
        }
        String code = cardCode(check, run);
        c.codeSlot = check.errorCount();
        String name = name(check);
        String phone = phone(check, c);
        c.phoneSlot = check.errorCount();
        LocalDate birthday = birthday(check, run.now.toLocalDate());
        Tier tier = tier(check);
        Long openingPoints = check.nonNegativeOrZero("points", MAX_POINTS);
        Long openingFen = check.nonNegativeOrZero("stored_value_fen", MAX_STORED_VALUE_FEN);
        Optional<Boolean> marketing = marketingConsent(check);
        c.code = code;
        if (!check.ok()) {
            return c;
        }
        NewMember m = new NewMember(Ids.next(), code, name, phone, birthday, tier, storeId, run.now,
                EnrolmentSource.IMPORT);
        c.member = m;
        c.phoneSealed = members.sealPhone(m.id(), phone);
        c.openingPoints = openingPoints;
        c.openingFen = openingFen;
        c.pointsEntry = openingPoints > 0 ? Ids.next() : null;
        c.svEntry = openingFen > 0 ? Ids.next() : null;
        c.imported = outbox.prepare(Event.MemberImported.of(MemberService.enrolled(m, c.phoneHmac, run.phoneBoxer.apply(phone)),
                openingPoints, c.pointsEntry == null ? null : run.lotExpires, c.pointsEntry, openingFen, c.svEntry));
        // The consent the legacy list holds, as given at this terminal when it was imported (no staff: an import).
        marketing.ifPresent(granted -> {
            c.consent = new Event.MemberConsent(m.id(), null, granted, granted, run.now, null);
            c.consentEvent = outbox.prepare(c.consent);
        });
        return c;
    }

    /**
     * The legacy system's marketing consent, recorded for every channel: empty when the column is absent or the field
     * empty (nothing recorded); a value other than yes/no, 1/0, 是/否 (in any case) is the row's error.
     */
    private static Optional<Boolean> marketingConsent(RowCheck check) {
        String raw = check.has(MARKETING_CONSENT) ? check.optional(MARKETING_CONSENT, Integer.MAX_VALUE) : null;
        if (raw == null) {
            return Optional.empty();
        }
        Optional<Boolean> answer = ConsentAnswer.parse(raw);
        if (answer.isEmpty()) {
            check.reject("import.row.consentInvalid", RowCheck.shown(raw), ConsentAnswer.SPELLINGS);
        }
        return answer;
    }

    /** The card code if well formed and not met earlier in the file; whether the store has it is asked later. */
    private static String cardCode(RowCheck check, Run run) {
        String code = check.plain("card_code", check.required("card_code", MAX_CARD_CODE_LENGTH));
        if (code == null) {
            return null;
        }
        if (!CARD_CODE.matcher(code).matches()) {
            check.reject("import.row.cardCodeInvalid", RowCheck.shown(code));
            return null;
        }
        // Every later row with a code already seen is refused, even if the first was refused too:
        // two rows claiming one card is a mistake in the export that a person has to resolve.
        long first = run.firstLines.putIfAbsent(code, check.line());
        if (first > 0) {
            check.reject("import.row.cardCodeRepeated", code, String.valueOf(first));
            return null;
        }
        return code;
    }

    /**
     * A name is shown on one line at the counter, so line breaks (possible in a quoted field) are refused, and so are
     * text-direction controls, which make it read as something else.
     */
    private static String name(RowCheck check) {
        return check.plain("name", check.required("name", MemberService.MAX_NAME_LENGTH));
    }

    /** The normalised number, its keyed hash kept for the look-up in the store (which sees earlier rows too). */
    private String phone(RowCheck check, Candidate c) {
        String raw = check.optional("phone", MAX_PHONE_LENGTH);
        if (raw == null) {
            return null;
        }
        Optional<String> phone = Phones.normalise(raw);
        if (phone.isEmpty()) {
            check.reject("import.row.phoneInvalid", RowCheck.shown(raw));
            return null;
        }
        c.phoneRaw = raw;
        c.phoneHmac = members.phoneHmac(phone.get());
        return phone.get();
    }

    private static LocalDate birthday(RowCheck check, LocalDate today) {
        String raw = check.optional("birthday", Integer.MAX_VALUE);
        if (raw == null) {
            return null;
        }
        LocalDate birthday;
        try {
            birthday = LocalDate.parse(raw, DATE);
        } catch (DateTimeParseException e) {
            check.reject("import.row.dateInvalid", "birthday", RowCheck.shown(raw));
            return null;
        }
        // The same rule as enrolment at the counter.
        if (birthday.isAfter(today) || birthday.getYear() < 1900) {
            check.reject("import.row.birthdayRange", raw);
            return null;
        }
        return birthday;
    }

    private static Tier tier(RowCheck check) {
        String raw = check.optional("tier", Integer.MAX_VALUE);
        Optional<Tier> tier = Tier.parse(raw);
        if (tier.isEmpty()) {
            check.reject("import.row.tierInvalid", RowCheck.shown(raw));
            return null;
        }
        return tier.get();
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One row as the reader left it: its problems so far, and, for a row without any, what it will write. */
    private static final class Candidate {
        final RowCheck check;
        /** Where a problem found in the store goes among the row's problems, in its column's place. */
        int codeSlot;
        int phoneSlot;
        String code;
        String phoneRaw;
        String phoneHmac;
        NewMember member;
        byte[] phoneSealed;
        long openingPoints;
        long openingFen;
        UUID pointsEntry;
        UUID svEntry;
        Outbox.Prepared imported;
        Event.MemberConsent consent;
        Outbox.Prepared consentEvent;

        Candidate(RowCheck check) {
            this.check = check;
        }
    }

    /** Rows in file order, and how far into the file the reader was when it handed them over. */
    private record Chunk(List<Candidate> rows, long bytesRead) {
        static final Chunk END = new Chunk(List.of(), 0);
    }

    /**
     * The reader's thread: parses and checks rows into chunks for the writer. A failure (the file changed under the
     * import, a bug) is handed over in place of a chunk and thrown on the writer's thread.
     */
    private final class Reader implements Runnable {
        private final CsvFile csv;
        private final Run run;
        private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
        private volatile boolean stopped;

        Reader(CsvFile csv, Run run) {
            this.csv = csv;
            this.run = run;
        }

        @Override
        public void run() {
            try {
                while (csv.hasNext() && !stopped) {
                    List<Candidate> rows = new ArrayList<>(BATCH_ROWS);
                    while (rows.size() < BATCH_ROWS && csv.hasNext()) {
                        rows.add(check(csv.next(), run));
                    }
                    ready.put(new Chunk(rows, csv.bytesRead()));
                }
                ready.put(Chunk.END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                try {
                    ready.put(e);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        Chunk take() {
            Object next;
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the import was interrupted", e);
            }
            if (next instanceof RuntimeException e) {
                throw e;
            }
            if (next instanceof Error e) {
                throw e;
            }
            return (Chunk) next;
        }

        void stop() {
            stopped = true;
        }
    }

    /**
     * The card codes and phones of one chunk that are already taken, looked up in two queries for the whole
     * chunk rather than two per row, and kept current as the chunk's own rows are written. Earlier chunks are in
     * the store by then, so a phone of an earlier row is found there.
     */
    private static final class Taken {
        record Holder(String name, String cardCode) {
        }

        final Set<String> codes;
        final Map<String, Holder> phones = new HashMap<>();

        private Taken(Set<String> codes) {
            this.codes = codes;
        }

        static Taken lookUp(Handle h, MemberRepository members, List<Candidate> chunk) {
            Set<String> codes = new HashSet<>();
            Set<String> hmacs = new HashSet<>();
            for (Candidate c : chunk) {
                if (c.code != null) {
                    codes.add(c.code);
                }
                if (c.phoneHmac != null) {
                    hmacs.add(c.phoneHmac);
                }
            }
            Taken taken = new Taken(new HashSet<>(members.takenCodes(h, codes)));
            members.activeByPhoneHmac(h, hmacs)
                    .forEach((hmac, m) -> taken.phones.put(hmac, new Holder(m.displayName(), m.cardCode())));
            return taken;
        }

        void imported(Candidate c) {
            codes.add(c.member.cardCode());
            if (c.phoneHmac != null) {
                phones.putIfAbsent(c.phoneHmac, new Holder(c.member.displayName(), c.member.cardCode()));
            }
        }
    }

    /** State of one import: counts, and the first line of each card code, to name it when a code repeats. */
    private static final class Run {
        final RuleSet rules;
        final OffsetDateTime now;
        final LocalDate lotExpires;
        final Consumer<UserMessage> errors;
        final UnaryOperator<String> phoneBoxer;
        /** The reader's alone. */
        final FirstLines firstLines = new FirstLines();
        /** The writer's alone. */
        long imported;
        long rejected;

        Run(RuleSet rules, OffsetDateTime now, Consumer<UserMessage> errors, UnaryOperator<String> phoneBoxer) {
            this.rules = rules;
            this.now = now;
            this.lotExpires = rules.lotExpiresOn(now.toLocalDate());
            this.errors = errors;
            this.phoneBoxer = phoneBoxer;
        }
    }
}
